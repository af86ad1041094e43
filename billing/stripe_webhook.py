"""Verifying a webhook delivery: Stripe's signature, a timestamp within tolerance both ways,
the event's shape, the account's mode and the pinned API version (``billing/views.py``'s
webhook view calls ``webhook_event_verify``; ``stripe_client`` re-exports these names)."""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings

import stripe

# The API version the SDK is pinned to and sends with every request; the webhook endpoint
# must be created with the same one (``stripe_setup``), or event payloads take another shape.
API_VERSION = stripe.api_version
WEBHOOK_TOLERANCE_SECONDS = 300  # Stripe's default, applied both ways here
WEBHOOK_MAX_BYTES = 1024 * 1024  # far above any event the hub subscribes to


class WebhookRefused(Exception):
    """A webhook delivery the hub will not apply; ``str(exc)`` says why (safe to answer)."""


def stripe_key_is_live() -> bool:
    """Whether ``STRIPE_SECRET_KEY`` is a live-mode key (``sk_live_`` or ``rk_live_``)."""
    return (settings.STRIPE_SECRET_KEY or "").startswith(("sk_live_", "rk_live_"))


def _shown(value: object) -> str:
    """A value from a payload, short enough to log."""
    return json.dumps(value)[:60]


def _signature_timestamp(header: str) -> int:
    """The ``t=`` of a ``Stripe-Signature`` header the SDK has already verified."""
    for item in header.split(","):
        key, _, value = item.partition("=")
        if key == "t":
            return int(value)
    raise WebhookRefused("invalid signature")


def webhook_event_verify(
    *, payload: bytes, signature: str | None, now: float | None = None
) -> dict[str, Any]:
    """The event in a ``POST /billing/webhook/`` body, as a dict, once it is proved to be a
    fresh event from Stripe for this account's mode and API version; else
    ``WebhookRefused``.

    Refused: a body over ``WEBHOOK_MAX_BYTES`` or not UTF-8; a bad or missing signature; a
    signature timestamp more than ``WEBHOOK_TOLERANCE_SECONDS`` from now in either direction
    (the SDK checks only the past); a body that is not a JSON object with a string ``id``
    and ``type``, an integer ``created`` and ``data.object``; ``livemode`` other than the
    mode of ``STRIPE_SECRET_KEY``; ``api_version`` other than ``API_VERSION``.
    """
    now = time.time() if now is None else now
    if len(payload) > WEBHOOK_MAX_BYTES:
        raise WebhookRefused("payload too large")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebhookRefused("payload is not UTF-8") from exc
    try:
        # Our own tolerance check follows: the SDK's refuses only old timestamps.
        stripe.WebhookSignature.verify_header(
            text, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=None
        )
        timestamp = _signature_timestamp(signature or "")
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise WebhookRefused("invalid signature") from exc
    if abs(now - timestamp) > WEBHOOK_TOLERANCE_SECONDS:
        raise WebhookRefused("timestamp outside the tolerance")
    try:
        event = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise WebhookRefused("payload is not JSON") from exc
    if not isinstance(event, dict):
        raise WebhookRefused("payload is not a JSON object")
    data = event.get("data")
    if not (
        isinstance(event.get("id"), str)
        and event["id"]
        and isinstance(event.get("type"), str)
        and event["type"]
        and type(event.get("created")) is int
        and isinstance(data, dict)
        and isinstance(data.get("object"), dict)
    ):
        raise WebhookRefused("payload is not a Stripe event")
    live = stripe_key_is_live()
    if event.get("livemode") is not live:
        raise WebhookRefused(
            f"livemode {_shown(event.get('livemode'))} from a STRIPE_SECRET_KEY in "
            f"{'live' if live else 'test'} mode (event {_shown(event['id'])})"
        )
    if event.get("api_version") != API_VERSION:
        raise WebhookRefused(
            f"api_version {_shown(event.get('api_version'))} is not the pinned {API_VERSION} "
            f"(event {_shown(event['id'])}): set the endpoint's API version to {API_VERSION}"
        )
    return event
