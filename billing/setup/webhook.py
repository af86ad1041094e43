"""The webhook endpoint: the pinned API version and exactly the events the hub handles."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from .. import stripe_client
from .common import (
    HUB_METADATA_KEY,
    WEBHOOK_METADATA_VALUE,
    SetupReport,
    _as_dict,
)

log = logging.getLogger(__name__)


def webhook_events() -> list[str]:
    """Exactly the event types the hub handles, for the webhook endpoint."""
    from ..webhooks import HANDLERS  # webhooks imports services, which imports this module

    return sorted(HANDLERS)


def webhook_endpoint_problems(endpoint: dict[str, Any]) -> list[str]:
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


def _webhook_create(*, url: str, report: SetupReport) -> Any:
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


def webhook_endpoint_ensure(*, url: str, report: SetupReport, recreate: bool = False) -> Any:
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
    changes: dict[str, Any] = {}
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
