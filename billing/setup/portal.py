"""The hub's customer-portal configuration (found by metadata, its id cached) and the portal
sessions that name it."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache

from .. import stripe_client
from ..models import SubscriptionPlan
from .common import (
    HUB_METADATA_KEY,
    PORTAL_CACHE_SECONDS,
    PORTAL_METADATA_VALUE,
    PORTAL_PRORATION_BEHAVIOR,
    PRIVACY_SLUGS,
    TERMS_SLUGS,
    SetupReport,
    _as_dict,
)

log = logging.getLogger(__name__)


def _site_page_url(*, base_url: str, slugs: tuple[str, ...]) -> str | None:
    """The absolute URL of the site's first live public page with one of ``slugs``."""
    from wagtail.models import Page, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    page = (
        Page.objects.descendant_of(site.root_page)
        .live()
        .public()
        .filter(slug__in=slugs)
        .order_by("depth", "path")
        .first()
    )
    if page is None:
        return None
    return base_url + "/" + str(page.url_path)[len(site.root_page.url_path) :]


def portal_configuration_wanted(*, base_url: str, plans: list[SubscriptionPlan]) -> dict[str, Any]:
    """The hub's portal configuration, in the shape ``_portal_view`` reads one back."""
    products = [
        {
            "product": plan.stripe_product_id,
            "prices": sorted(p for p in (plan.stripe_price_id, plan.stripe_price_id_yearly) if p),
        }
        for plan in plans
        if plan.stripe_product_id and plan.stripe_price_id
    ]
    return {
        "business_profile": {
            "headline": f"{settings.WAGTAIL_SITE_NAME}: your plan, card and invoices"[:60],
            "privacy_policy_url": _site_page_url(base_url=base_url, slugs=PRIVACY_SLUGS),
            "terms_of_service_url": _site_page_url(base_url=base_url, slugs=TERMS_SLUGS),
        },
        "default_return_url": f"{base_url}/dashboard/",
        "features": {
            "customer_update": {"enabled": False},
            "invoice_history": {"enabled": True},
            "payment_method_update": {"enabled": True},
            "subscription_cancel": {
                "enabled": True,
                "mode": "at_period_end",
                "proration_behavior": "none",
            },
            "subscription_pause": {"enabled": False},
            "subscription_update": {
                "enabled": bool(products),
                "default_allowed_updates": ["price"] if products else [],
                "proration_behavior": PORTAL_PRORATION_BEHAVIOR,
                "products": sorted(products, key=lambda p: p["product"]),
            },
        },
        "metadata": {HUB_METADATA_KEY: PORTAL_METADATA_VALUE},
    }


def _portal_view(conf: dict[str, Any]) -> dict[str, Any]:
    """A configuration from Stripe, reduced to what ``portal_configuration_wanted`` sets."""
    features = conf.get("features") or {}
    update = features.get("subscription_update") or {}
    cancel = features.get("subscription_cancel") or {}
    profile = conf.get("business_profile") or {}
    return {
        "business_profile": {
            key: profile.get(key) or None
            for key in ("headline", "privacy_policy_url", "terms_of_service_url")
        },
        "default_return_url": conf.get("default_return_url"),
        "features": {
            "customer_update": {"enabled": bool(features["customer_update"]["enabled"])},
            "invoice_history": {"enabled": bool(features["invoice_history"]["enabled"])},
            "payment_method_update": {
                "enabled": bool(features["payment_method_update"]["enabled"])
            },
            "subscription_cancel": {
                "enabled": bool(cancel.get("enabled")),
                "mode": cancel.get("mode"),
                "proration_behavior": cancel.get("proration_behavior"),
            },
            "subscription_pause": {"enabled": bool(features["subscription_pause"]["enabled"])},
            "subscription_update": {
                "enabled": bool(update.get("enabled")),
                "default_allowed_updates": list(update.get("default_allowed_updates") or []),
                "proration_behavior": update.get("proration_behavior"),
                "products": sorted(
                    (
                        {"product": p["product"], "prices": sorted(p.get("prices") or [])}
                        for p in update.get("products") or []
                    ),
                    key=lambda p: p["product"],
                ),
            },
        },
        "metadata": {HUB_METADATA_KEY: (conf.get("metadata") or {}).get(HUB_METADATA_KEY)},
    }


def _portal_params(wanted: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """``wanted`` as request parameters: an empty value unsets a field on update."""
    params = {**wanted, "features": {**wanted["features"]}}
    profile = {k: v for k, v in wanted["business_profile"].items() if v or not creating}
    params["business_profile"] = {k: v or "" for k, v in profile.items()}
    update = dict(wanted["features"]["subscription_update"])
    if not update["enabled"]:
        update = {"enabled": False}
    params["features"]["subscription_update"] = update
    if creating:
        params["name"] = settings.WAGTAIL_SITE_NAME
    return params


def portal_configuration_find() -> dict[str, Any] | None:
    """The hub's portal configuration (active, metadata ``mintkit_hub=portal``), or None."""
    for conf in map(_as_dict, stripe_client.portal_configurations_list()):
        if (conf.get("metadata") or {}).get(HUB_METADATA_KEY) == PORTAL_METADATA_VALUE:
            return conf
    return None


def _portal_cache_key() -> str:
    account = f"{settings.STRIPE_SECRET_KEY}|{settings.STRIPE_API_BASE or ''}"
    return "billing:portal-configuration:" + hashlib.sha256(account.encode()).hexdigest()[:16]


def portal_configuration_id() -> str | None:
    """The id of the hub's portal configuration (cached a day), or None before
    ``stripe_setup`` made one (portal sessions then use the account's default)."""
    key = _portal_cache_key()
    configuration_id: str | None = cache.get(key)
    if configuration_id:
        return configuration_id
    conf = portal_configuration_find()
    if conf is None:
        return None
    conf_id: str = conf["id"]
    cache.set(key, conf_id, PORTAL_CACHE_SECONDS)
    return conf_id


def portal_configuration_forget() -> None:
    cache.delete(_portal_cache_key())


def portal_session_create(*, customer_id: str, return_url: str, flow: str | None = None) -> Any:
    """A billing portal session on the hub's configuration. A cached id Stripe no longer
    accepts (deleted or deactivated) is forgotten and looked up again, once."""
    configuration = portal_configuration_id()
    try:
        return stripe_client.portal_session_create(
            customer_id=customer_id, return_url=return_url, configuration=configuration, flow=flow
        )
    except stripe_client.InvalidRequestError as exc:
        if not configuration or getattr(exc, "param", None) != "configuration":
            raise
        log.warning("Portal configuration %s refused (%s); looking it up again", configuration, exc)
    portal_configuration_forget()
    return stripe_client.portal_session_create(
        customer_id=customer_id,
        return_url=return_url,
        configuration=portal_configuration_id(),
        flow=flow,
    )


def portal_configuration_ensure(*, base_url: str, report: SetupReport) -> str:
    plans = list(SubscriptionPlan.objects.filter(is_active=True).order_by("sort_order", "pk"))
    wanted = portal_configuration_wanted(base_url=base_url, plans=plans)
    conf = portal_configuration_find()
    if conf is None:
        conf_id: str = stripe_client.portal_configuration_create(
            params=_portal_params(wanted, creating=True),
            # No key of ours: a re-run after the configuration was deactivated must create a
            # new one, not have Stripe replay the first answer. (The SDK's own key still
            # makes its network retries safe.)
            key=None,
        ).id
        report.say(f"portal configuration {conf_id} created", changed=True)
    elif _portal_view(conf) != wanted:
        conf_id = conf["id"]
        stripe_client.portal_configuration_update(
            conf_id, params=_portal_params(wanted, creating=False)
        )
        report.say(f"portal configuration {conf_id} updated", changed=True)
    else:
        conf_id = conf["id"]
        report.say(f"portal configuration {conf_id}: ok")
    cache.set(_portal_cache_key(), conf_id, PORTAL_CACHE_SECONDS)
    return conf_id
