"""Stripe webhook processing: store each event once, dispatch it by type, record the outcome.

``event_receive`` is called by the view with an already signature-verified event. The event
row is created first (its unique ``stripe_id`` makes concurrent duplicates collide), then
locked with ``select_for_update`` while the handler runs inside a savepoint: a handler that
fails rolls back everything it wrote, the row records the error, and the view answers 500 so
Stripe retries. An event already applied (or ignored) is not applied again.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import actions, disputes, services, signals, stripe_data
from .models import StripeEvent

log = logging.getLogger(__name__)


def _created(event: dict[str, Any]) -> datetime:
    return datetime.fromtimestamp(int(event.get("created") or 0), tz=UTC)


def _checkout_session_completed(event: dict[str, Any]) -> str:
    return services.checkout_session_apply(
        session=event["data"]["object"], event_created=_created(event)
    )


def _subscription_changed(event: dict[str, Any]) -> str:
    obj = event["data"]["object"]
    row = services.subscription_refresh(
        subscription_id=obj["id"],
        customer_id=stripe_data.id_of(obj.get("customer")),
        metadata=obj.get("metadata") or {},
        event_created=_created(event),
        fallback=obj,
    )
    signals.event_signal_send_on_commit(event=event, subscription=row)
    return "applied" if row is not None else "ignored"


def _invoice_changed(event: dict[str, Any]) -> str:
    """``invoice.paid`` / ``invoice.payment_failed``: re-read the invoice's subscription.

    In API 2026-10-28.endive an invoice's subscription is at
    ``parent.subscription_details.subscription``.
    """
    obj = event["data"]["object"]
    parent = obj.get("parent") or {}
    details = parent.get("subscription_details") or {}
    subscription_id = stripe_data.id_of(details.get("subscription"))
    if not subscription_id:
        return "ignored"
    row = services.subscription_refresh(
        subscription_id=subscription_id,
        customer_id=stripe_data.id_of(obj.get("customer")),
        metadata=details.get("metadata") or {},
        event_created=_created(event),
    )
    signals.event_signal_send_on_commit(event=event, subscription=row)
    return "applied" if row is not None else "ignored"


def _invoice_changed_payment_action_synced(event: dict[str, Any], *, status: str) -> str:
    """As other invoice events, then the payment's pending action (3-D Secure) brought in
    line with the invoice; ``status`` stands in for an invoice object that carries none."""
    outcome = _invoice_changed(event)
    if outcome == "applied":
        obj = event["data"]["object"]
        fallback = {**obj, "status": obj.get("status") or status}
        actions.payment_action_sync(invoice_id=obj["id"], fallback=fallback)
    return outcome


def _invoice_paid(event: dict[str, Any]) -> str:
    """``invoice.paid``: as other invoice events, and a confirmation the invoice was waiting
    for (3-D Secure) is no longer asked for."""
    return _invoice_changed_payment_action_synced(event, status="paid")


def _invoice_action_required(event: dict[str, Any]) -> str:
    """``invoice.payment_action_required``: past_due (grace), and the hosted invoice page
    where the owner confirms the payment is recorded for every owner page to link to."""
    return _invoice_changed_payment_action_synced(event, status="open")


def _charge_refunded(event: dict[str, Any]) -> str:
    return disputes.charge_refunded_apply(charge_id=event["data"]["object"]["id"])


def _dispute_changed(event: dict[str, Any]) -> str:
    return disputes.dispute_apply(dispute_id=event["data"]["object"]["id"])


# Exactly these types are enabled on the webhook endpoint ``stripe_setup`` makes.
HANDLERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "checkout.session.completed": _checkout_session_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "customer.subscription.trial_will_end": _subscription_changed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_changed,
    "invoice.payment_action_required": _invoice_action_required,
    "charge.refunded": _charge_refunded,
    "charge.dispute.created": _dispute_changed,
    "charge.dispute.closed": _dispute_changed,
}


def event_receive(*, event: dict[str, Any]) -> tuple[StripeEvent, bool]:
    """Store and (once) apply a verified Stripe event. Returns (row, ok); ``ok`` is False
    when processing failed and Stripe should retry."""
    try:
        with transaction.atomic():
            StripeEvent.objects.create(
                stripe_id=event["id"],
                type=event["type"],
                payload=event,
                stripe_created=_created(event),
            )
    except IntegrityError:
        pass  # delivered before (or right now, by another worker): handled below under lock

    with transaction.atomic():
        row = StripeEvent.objects.select_for_update().get(stripe_id=event["id"])
        if row.is_done:
            log.info("Stripe event %s (%s) seen before: %s", row.stripe_id, row.type, row.outcome)
            return row, True
        row.attempts += 1
        handler = HANDLERS.get(event["type"])
        try:
            with transaction.atomic():
                outcome = handler(event) if handler else StripeEvent.Outcome.IGNORED
        except Exception:  # noqa: BLE001 - any failure: roll back, record, let Stripe retry
            log.exception("Stripe event %s (%s) failed", event["id"], event["type"])
            row.outcome = StripeEvent.Outcome.FAILED
            row.error = traceback.format_exc(limit=5)[-4000:]
            row.processed_at = timezone.now()
            row.save(update_fields=["outcome", "error", "processed_at", "attempts"])
            return row, False
        row.outcome = outcome
        row.error = ""
        row.processed_at = timezone.now()
        row.save(update_fields=["outcome", "error", "processed_at", "attempts"])
        log.info("Stripe event %s (%s): %s", event["id"], event["type"], outcome)
        return row, True
