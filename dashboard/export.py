"""Everything the hub holds about one business, as plain data for the owner's download.

``business_export(*, profile)`` reads only rows that belong to ``profile`` (the view gets the
profile from ``accounts.ownership.owner_profile``, so an owner can only ever export their own).
Every concrete field of each model is included, so a field added later is exported too; only
what would help an attacker more than the owner is left out: the password hash, and the
internal primary keys and foreign keys that mean nothing outside this database. The hub never
stores card data (Stripe holds it), so there is none to leave out.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db import models
from django.utils import timezone

from allauth.account.models import EmailAddress

from accounts.models import Profile
from billing.models import MintKitAccess, Subscription
from sales.models import StudioEvent
from storefronts.models import (
    OfferDailyStat,
    OpeningHours,
    SpecialDate,
    Storefront,
    StorefrontDailyStat,
    StorefrontSlugHistory,
)

EXPORT_FORMAT_VERSION = 1

# Never exported, whatever the model: credentials and bookkeeping internal to the database.
NEVER_EXPORTED = {"id", "password"}


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def _image(image) -> dict | None:
    if image is None:
        return None
    return {
        "title": image.title,
        "file_name": image.file.name.rsplit("/", 1)[-1],
        "width": image.width,
        "height": image.height,
    }


def _fields(obj: models.Model, *, exclude: set[str] = frozenset()) -> dict[str, Any]:
    """Every concrete field of ``obj``: values as JSON types, images described, other
    relations left out (the export nests related rows itself)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in NEVER_EXPORTED or field.name in exclude:
            continue
        if field.is_relation:
            if field.related_model.__name__ == "Image":
                data[field.name] = _image(getattr(obj, field.name))
            continue
        data[field.name] = _value(getattr(obj, field.attname))
    return data


def _account(profile: Profile) -> dict:
    user = profile.user
    return {
        **_fields(user),
        "email_addresses": [
            _fields(address) for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


def _storefront(storefront: Storefront) -> dict:
    offers = list(storefront.offers.order_by("sort_order", "pk"))
    clicks: dict[int, list] = {offer.pk: [] for offer in offers}
    for stat in OfferDailyStat.objects.filter(offer__in=offers).order_by("date"):
        clicks[stat.offer_id].append({"date": stat.date.isoformat(), "clicks": stat.clicks})
    return {
        **_fields(storefront),
        "old_slugs": list(
            StorefrontSlugHistory.objects.filter(storefront=storefront)
            .order_by("created_at")
            .values_list("slug", flat=True)
        ),
        "offers": [{**_fields(offer), "daily_clicks": clicks[offer.pk]} for offer in offers],
        "opening_hours": [
            _fields(row)
            for row in OpeningHours.objects.filter(storefront=storefront).order_by(
                "weekday", "opens"
            )
        ],
        "special_dates": [
            _fields(row)
            for row in SpecialDate.objects.filter(storefront=storefront).order_by("date")
        ],
        "daily_views": [
            {"date": stat.date.isoformat(), **_fields(stat, exclude={"storefront", "date"})}
            for stat in StorefrontDailyStat.objects.filter(storefront=storefront).order_by("date")
        ],
    }


def _subscription(subscription: Subscription) -> dict:
    plan = subscription.plan
    return {
        **_fields(subscription),
        "plan": {
            "slug": plan.slug,
            "name": plan.name,
            "amount": plan.amount,
            "currency": plan.currency,
            "interval": plan.interval,
        }
        if plan
        else None,
    }


def business_export(*, profile: Profile) -> dict:
    """The owner's data: account, profile, storefronts (offers, hours, special dates, stats),
    subscriptions, Studio access records and the sales the Studio reported."""
    access = MintKitAccess.objects.filter(profile=profile).first()
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": _account(profile),
        "profile": _fields(profile),
        "storefronts": [
            _storefront(storefront)
            for storefront in Storefront.objects.filter(profile=profile).order_by("created_at")
        ],
        "subscriptions": [
            _subscription(subscription)
            for subscription in Subscription.objects.filter(profile=profile)
            .select_related("plan")
            .order_by("stripe_created")
        ],
        "studio_access": _fields(access) if access else None,
        "studio_sales": [
            {**_fields(event), "storefront": event.storefront.slug if event.storefront else None}
            for event in StudioEvent.objects.filter(profile=profile)
            .select_related("storefront")
            .order_by("occurred_at")
        ],
        "not_included": (
            "Card details and invoices are held by Stripe, not by MintKit Hub: download "
            "invoices from the billing portal (Dashboard, Manage billing)."
        ),
    }
