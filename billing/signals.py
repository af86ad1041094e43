"""Signals billing sends when a Stripe event changes what an owner should be told.

Sent after the webhook's transaction commits (``event_signal_send_on_commit``), so a handler
that fails and rolls back tells nobody. Every signal has ``subscription`` (the hub's
``Subscription`` row) and ``event_id``; invoice signals also have ``invoice`` (Stripe's
invoice object as a dict). Receivers live in the apps that act on them (``notifications``);
billing imports none of them.
"""

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from .models import Subscription

log = logging.getLogger(__name__)

trial_will_end = Signal()  # customer.subscription.trial_will_end
subscription_ended = Signal()  # customer.subscription.deleted
payment_failed = Signal()  # invoice.payment_failed
payment_action_required = Signal()  # invoice.payment_action_required (3-D Secure)
invoice_paid = Signal()  # invoice.paid (a receiver decides whether it ends a failure)

EVENT_SIGNALS = {
    "customer.subscription.trial_will_end": trial_will_end,
    "customer.subscription.deleted": subscription_ended,
    "invoice.payment_failed": payment_failed,
    "invoice.payment_action_required": payment_action_required,
    "invoice.paid": invoice_paid,
}


def event_signal_send_on_commit(
    *, event: dict[str, Any], subscription: Subscription | None
) -> None:
    """Once the current transaction commits, send the signal for ``event``'s type (if any)."""
    signal = EVENT_SIGNALS.get(event.get("type") or "")
    if signal is None or subscription is None:
        return
    obj = event["data"]["object"]
    kwargs = {"subscription": subscription, "event_id": event.get("id")}
    if obj.get("object") == "invoice":
        kwargs["invoice"] = obj

    def send() -> None:
        # A receiver's failure must not turn the (committed) webhook into a 500.
        for receiver, result in signal.send_robust(sender=type(subscription), **kwargs):
            if isinstance(result, Exception):
                log.error(
                    "%s receiver %r failed for %s",
                    event["type"],
                    receiver,
                    event.get("id"),
                    exc_info=result,
                )

    transaction.on_commit(send)
