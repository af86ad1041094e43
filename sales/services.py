"""Writes: storing what the Studio reports."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import Profile
from storefronts.models import Storefront

from .models import StudioEvent
from .payload import EventIn, EventInvalid


def _storefront_for(*, event: EventIn, profile: Profile) -> Storefront | None:
    if not event.storefront_slug:
        return None
    storefront: Storefront | None = Storefront.objects.filter(
        profile=profile, slug=event.storefront_slug
    ).first()
    if storefront is None:  # another business's storefront reads the same as none at all
        raise EventInvalid("'storefront' is not one of this business's storefronts")
    return storefront


def record_studio_event(*, event: EventIn, profile: Profile) -> tuple[StudioEvent, bool]:
    """Store ``event`` once under its id: ``(row, True)`` the first time, ``(row, False)``
    for a repeat, which changes nothing (even if its storefront has since been renamed).
    ``EventInvalid`` when ``storefront`` names none of the business's storefronts.

    Two deliveries of one id at the same moment both reach the insert; the unique index lets
    one through and the other, once that one commits, lands in ``IntegrityError`` and reads
    the row it lost to (a savepoint keeps an outer transaction usable).
    """
    existing = StudioEvent.objects.filter(event_id=event.event_id).first()
    if existing is not None:
        return existing, False
    storefront = _storefront_for(event=event, profile=profile)
    try:
        with transaction.atomic():
            row = StudioEvent.objects.create(
                event_id=event.event_id,
                profile=profile,
                storefront=storefront,
                type=event.type,
                product_kind=event.product_kind,
                amount=event.amount,
                currency=event.currency,
                occurred_at=event.occurred_at,
            )
    except IntegrityError:
        return StudioEvent.objects.get(event_id=event.event_id), False
    return row, True
