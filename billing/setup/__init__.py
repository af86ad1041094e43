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

from urllib.parse import urlsplit

from django.conf import settings

from ..models import SubscriptionPlan
from .common import HUB_METADATA_KEY, WEBHOOK_METADATA_VALUE, SetupReport
from .portal import (
    portal_configuration_ensure,
    portal_configuration_find,
    portal_configuration_forget,
    portal_configuration_id,
    portal_configuration_wanted,
    portal_session_create,
)
from .prices import plan_prices_ensure
from .webhook import webhook_endpoint_ensure, webhook_endpoint_problems, webhook_events

__all__ = [
    "HUB_METADATA_KEY",
    "WEBHOOK_METADATA_VALUE",
    "SetupReport",
    "plan_prices_ensure",
    "portal_configuration_ensure",
    "portal_configuration_find",
    "portal_configuration_forget",
    "portal_configuration_id",
    "portal_configuration_wanted",
    "portal_session_create",
    "stripe_account_setup",
    "webhook_endpoint_ensure",
    "webhook_endpoint_problems",
    "webhook_events",
]

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
    base_url = (base_url or settings.WAGTAILADMIN_BASE_URL or "").rstrip("/")
    for plan in SubscriptionPlan.objects.filter(is_active=True).order_by("sort_order", "pk"):
        plan_prices_ensure(plan=plan, report=report)
    portal_configuration_ensure(base_url=base_url, report=report)
    if webhook_url:
        webhook_endpoint_ensure(url=webhook_url, report=report, recreate=recreate_webhook)
    return report
