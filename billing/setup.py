"""One-step Stripe account set-up (``python manage.py stripe_setup``) and the hub's portal
configuration.

``stripe_account_setup`` makes a Stripe account match the hub, creating or updating only what
differs, so running it again changes nothing:

* a Product per active plan, with its monthly Price and a yearly Price of 10 × the monthly
  amount (lookup keys ``mintkit_<slug>_month`` / ``mintkit_<slug>_year``; prices are
  immutable, so a changed amount gets a new price, which takes over the lookup key, and the
  old one is archived — subscribers on it keep paying it until they switch);
* the hub's customer-portal configuration, recognised by its metadata
  ``mintkit_hub=portal``: switching between the active plans' prices, cancel at period end,
  card update, invoice history, the site's headline and privacy/terms links;
* the webhook endpoint for ``--webhook-url`` with the pinned API version and exactly the
  events ``billing.webhooks.HANDLERS`` handles. Its signing secret is shown by Stripe only
  when the endpoint is created; ``recreate_webhook`` deletes and re-creates the endpoint to
  get a new one (Stripe's API cannot roll a secret or change an endpoint's API version).

A configuration made through the API is never the account's default one, so the portal
sessions the hub opens name it (``portal_session_create``): found by metadata, its id cached.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from . import stripe_client
from .models import SubscriptionPlan

log = logging.getLogger(__name__)

HUB_METADATA_KEY = "mintkit_hub"
PORTAL_METADATA_VALUE = "portal"
WEBHOOK_METADATA_VALUE = "webhook"
YEARLY_MONTHS = 10  # a year costs ten months
# Plan switches in the portal: charged (or credited) at once for the rest of the period.
PORTAL_PRORATION_BEHAVIOR = "always_invoice"
PORTAL_CACHE_SECONDS = 24 * 60 * 60
PRIVACY_SLUGS = ("privacy", "privacy-policy", "privacy-notice")
TERMS_SLUGS = ("terms", "terms-of-service", "terms-and-conditions")


def webhook_events() -> list[str]:
    """Exactly the event types the hub handles, for the webhook endpoint."""
    from .webhooks import HANDLERS  # webhooks imports services, which imports this module

    return sorted(HANDLERS)


@dataclass
class SetupReport:
    lines: list[str] = field(default_factory=list)
    changes: int = 0
    problems: list[str] = field(default_factory=list)
    webhook_secret: str | None = None

    def say(self, line: str, *, changed: bool = False) -> None:
        self.lines.append(line)
        self.changes += changed


def _as_dict(obj) -> dict:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj or {})


# -- products and prices -----------------------------------------------------------------


def _product_ensure(*, plan: SubscriptionPlan, report: SetupReport) -> str:
    wanted = {"name": f"MintKit {plan.name}", "description": plan.description or ""}
    product = None
    if plan.stripe_product_id:
        try:
            product = _as_dict(stripe_client.product_retrieve(plan.stripe_product_id))
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
    if product is None or product.get("deleted"):
        created = stripe_client.product_create(
            name=wanted["name"],
            description=wanted["description"],
            metadata={"plan": plan.slug},
            key=stripe_client.idempotency_key(
                "setup-product", plan.slug, plan.pk, plan.stripe_product_id
            ),
        )
        report.say(f"{plan.slug}: product {created.id} created", changed=True)
        return created.id
    changed = {key: value for key, value in wanted.items() if (product.get(key) or "") != value}
    if not product.get("active", True):
        changed["active"] = True
    if changed:
        stripe_client.product_update(product["id"], params=changed)
        report.say(
            f"{plan.slug}: product {product['id']} updated ({', '.join(changed)})", changed=True
        )
    return product["id"]


def _price_matches(
    price: dict, *, product_id: str, amount: int, currency: str, interval: str
) -> bool:
    recurring = price.get("recurring") or {}
    product = price.get("product")
    return bool(
        price.get("active")
        and price.get("unit_amount") == amount
        and price.get("currency") == currency
        and recurring.get("interval") == interval
        and (recurring.get("interval_count") or 1) == 1
        and (product.get("id") if isinstance(product, dict) else product) == product_id
    )


def _price_ensure(
    *,
    plan: SubscriptionPlan,
    product_id: str,
    interval: str,
    amount: int,
    current_id: str,
    report: SetupReport,
) -> str:
    """The id of an active price of ``product_id`` for ``amount`` per ``interval``: the
    recorded one, else the one holding the lookup key, else a new one."""
    currency = plan.currency.lower()
    lookup_key = f"mintkit_{plan.slug}_{interval}"
    wanted = {"product_id": product_id, "amount": amount, "currency": currency}
    current = None
    if current_id:
        try:
            current = _as_dict(stripe_client.price_retrieve(current_id))
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
    if current is not None and _price_matches(current, interval=interval, **wanted):
        return current["id"]
    for candidate in map(_as_dict, stripe_client.prices_by_lookup_key(lookup_key)):
        if _price_matches(candidate, interval=interval, **wanted):
            report.say(f"{plan.slug}: {interval}ly price {candidate['id']} found", changed=True)
            return candidate["id"]
    price = stripe_client.price_create(
        product_id=product_id,
        amount=amount,
        currency=currency,
        interval=interval,
        lookup_key=lookup_key,
        metadata={"plan": plan.slug},
        key=stripe_client.idempotency_key(
            "setup-price", product_id, amount, currency, interval, current_id, timezone.now().date()
        ),
    )
    report.say(
        f"{plan.slug}: {interval}ly price {price.id} created "
        f"({amount / 100:.2f} {currency.upper()})",
        changed=True,
    )
    if current is not None and current.get("active"):
        stripe_client.price_archive(current["id"])
        report.say(f"{plan.slug}: old price {current['id']} archived", changed=True)
    return price.id


def plan_prices_ensure(*, plan: SubscriptionPlan, report: SetupReport) -> None:
    """The plan's product, its price per its interval and (for a monthly plan) the yearly
    price of ``YEARLY_MONTHS`` × the amount; records their ids on the plan."""
    product_id = _product_ensure(plan=plan, report=report)
    price_id = _price_ensure(
        plan=plan,
        product_id=product_id,
        interval=plan.interval,
        amount=plan.amount,
        current_id=plan.stripe_price_id,
        report=report,
    )
    yearly_id = plan.stripe_price_id_yearly
    if plan.interval == SubscriptionPlan.Interval.MONTH:
        yearly_id = _price_ensure(
            plan=plan,
            product_id=product_id,
            interval=SubscriptionPlan.Interval.YEAR,
            amount=plan.amount * YEARLY_MONTHS,
            current_id=plan.stripe_price_id_yearly,
            report=report,
        )
    fields = {
        "stripe_product_id": product_id,
        "stripe_price_id": price_id,
        "stripe_price_id_yearly": yearly_id,
    }
    if any(getattr(plan, name) != value for name, value in fields.items()):
        SubscriptionPlan.objects.filter(pk=plan.pk).update(**fields)
        for name, value in fields.items():
            setattr(plan, name, value)
    report.say(f"{plan.slug}: ok (prices {', '.join(p for p in (price_id, yearly_id) if p)})")


# -- the customer portal -----------------------------------------------------------------


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
    return base_url + "/" + page.url_path[len(site.root_page.url_path) :]


def portal_configuration_wanted(*, base_url: str, plans: list[SubscriptionPlan]) -> dict:
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


def _portal_view(conf: dict) -> dict:
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


def _portal_params(wanted: dict, *, creating: bool) -> dict:
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


def portal_configuration_find():
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
    configuration_id = cache.get(key)
    if configuration_id:
        return configuration_id
    conf = portal_configuration_find()
    if conf is None:
        return None
    cache.set(key, conf["id"], PORTAL_CACHE_SECONDS)
    return conf["id"]


def portal_configuration_forget() -> None:
    cache.delete(_portal_cache_key())


def portal_session_create(*, customer_id: str, return_url: str, flow: str | None = None):
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
        conf_id = stripe_client.portal_configuration_create(
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


# -- the webhook endpoint ----------------------------------------------------------------


def webhook_endpoint_problems(endpoint) -> list[str]:
    """What is wrong with an endpoint for the hub (disabled, API version, events)."""
    problems = []
    if endpoint.get("status") != "enabled":
        problems.append(f"it is {endpoint.get('status')}")
    if endpoint.get("api_version") != stripe_client.API_VERSION:
        problems.append(
            f"its API version is {endpoint.get('api_version') or 'the account default'}, "
            f"not {stripe_client.API_VERSION}"
        )
    if sorted(endpoint.get("enabled_events") or []) != webhook_events():
        problems.append("its events are not exactly the ones the hub handles")
    return problems


def _webhook_create(*, url: str, report: SetupReport):
    endpoint = stripe_client.webhook_endpoint_create(
        params={
            "url": url,
            "enabled_events": webhook_events(),
            "api_version": stripe_client.API_VERSION,
            "description": settings.WAGTAIL_SITE_NAME,
            "metadata": {HUB_METADATA_KEY: WEBHOOK_METADATA_VALUE},
        }
    )
    report.webhook_secret = endpoint.secret
    report.say(f"webhook endpoint {endpoint.id} created for {url}", changed=True)
    return endpoint


def webhook_endpoint_ensure(*, url: str, report: SetupReport, recreate: bool = False):
    endpoints = [_as_dict(e) for e in stripe_client.webhook_endpoints_list()]
    mine = [e for e in endpoints if e["url"] == url]
    for other in endpoints:
        if other["url"] != url and urlsplit(other["url"]).path == urlsplit(url).path:
            report.say(
                f"note: endpoint {other['id']} ({other['url']}) also points at a hub webhook path; "
                "delete it in the Stripe dashboard if the site moved"
            )
    if not mine:
        return _webhook_create(url=url, report=report)
    endpoint = mine[0]
    if recreate:
        stripe_client.webhook_endpoint_delete(endpoint["id"])
        report.say(f"webhook endpoint {endpoint['id']} deleted (to get a new secret)", changed=True)
        return _webhook_create(url=url, report=report)
    if endpoint.get("api_version") != stripe_client.API_VERSION:
        report.problems.append(
            f"The webhook endpoint {endpoint['id']} has API version "
            f"{endpoint.get('api_version') or '(the account default)'}, not "
            f"{stripe_client.API_VERSION}: the hub refuses its events (400) and Stripe keeps "
            "retrying them. Stripe cannot change an endpoint's version; run again with "
            "--recreate-webhook (a new signing secret to set) or fix it in the dashboard."
        )
    changes = {}
    if sorted(endpoint.get("enabled_events") or []) != webhook_events():
        changes["enabled_events"] = webhook_events()
    if endpoint.get("status") != "enabled":
        changes["disabled"] = False
    if (endpoint.get("metadata") or {}).get(HUB_METADATA_KEY) != WEBHOOK_METADATA_VALUE:
        changes["metadata"] = {HUB_METADATA_KEY: WEBHOOK_METADATA_VALUE}
    if changes:
        stripe_client.webhook_endpoint_update(endpoint["id"], params=changes)
        report.say(
            f"webhook endpoint {endpoint['id']} updated ({', '.join(changes)})", changed=True
        )
    else:
        report.say(f"webhook endpoint {endpoint['id']}: ok")
    return endpoint


# -- everything --------------------------------------------------------------------------


def stripe_account_setup(
    *, webhook_url: str | None, recreate_webhook: bool = False, base_url: str | None = None
) -> SetupReport:
    """Make the Stripe account match the hub (see the module docstring). ``webhook_url``
    None skips the endpoint (the dev emulator delivers every event itself); the site's
    address for the portal's links comes from ``base_url``, else the webhook URL."""
    report = SetupReport()
    if webhook_url:
        parts = urlsplit(webhook_url)
        base_url = base_url or f"{parts.scheme}://{parts.netloc}"
    base_url = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    for plan in SubscriptionPlan.objects.filter(is_active=True).order_by("sort_order", "pk"):
        plan_prices_ensure(plan=plan, report=report)
    portal_configuration_ensure(base_url=base_url, report=report)
    if webhook_url:
        webhook_endpoint_ensure(url=webhook_url, report=report, recreate=recreate_webhook)
    return report
