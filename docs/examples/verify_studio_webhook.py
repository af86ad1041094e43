"""Verify an entitlement event from MintKit Hub — the Studio's side (standard library only).

Copy this function into the Studio. Call it with the raw request body (bytes, before any JSON
parsing), the ``MintKit-Signature`` header and the shared secret (the hub's
``MINTKIT_SHARED_SECRET``). It returns the parsed event or raises ``StudioWebhookError``;
answer 400 to a refused request and 2xx to an accepted one (the hub retries anything else).

    event = verify_studio_webhook(
        payload=request.body,
        header=request.headers.get("MintKit-Signature", ""),
        secret=settings.MINTKIT_SHARED_SECRET,
    )
    if already_seen(event["id"]):           # the hub redelivers under the same id
        return HttpResponse(status=200)
    if event["sequence"] <= last_sequence_for(event["external_id"]):
        return HttpResponse(status=200)     # an older event arriving late: keep the newer
    apply_entitlement(event["external_id"], event["entitlement"])

The hub's tests (``studio_sync/tests/test_delivery.py``) run this very file against real
signed requests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

DEFAULT_TOLERANCE_SECONDS = 300  # as Stripe: refuse signatures older (or newer) than 5 min


class StudioWebhookError(ValueError):
    """The request is not a genuine, fresh event from the hub."""


def verify_studio_webhook(
    *,
    payload: bytes,
    header: str,
    secret: str,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> dict:
    """Check ``header`` (``t=<unix time>,v1=<hex>``) against ``payload`` and return the event."""
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            timestamp = value
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not timestamp.isdigit() or not signatures:
        raise StudioWebhookError("malformed MintKit-Signature header")
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + payload, hashlib.sha256
    ).hexdigest()
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise StudioWebhookError("signature does not match")
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > tolerance:
        raise StudioWebhookError("timestamp outside the tolerance")
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise StudioWebhookError("body is not JSON") from exc
    if not isinstance(event, dict) or "id" not in event or "external_id" not in event:
        raise StudioWebhookError("body is not an event")
    return event
