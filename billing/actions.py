"""A renewal waiting for the owner's 3-D Secure confirmation.

When Stripe cannot take a renewal without the cardholder (``invoice.payment_action_required``,
the subscription ``past_due``: the owner is in grace), the hub records the open invoice's
``hosted_invoice_url`` and amount on the subscription, so every owner page can say "Confirm
your payment of £19.00" and link there. ``invoice.paid`` (the owner confirmed, or paid another
way) clears it. The invoice is re-read from Stripe each time, so the two events may arrive in
either order.
"""

from __future__ import annotations

from types import EllipsisType
from typing import Any, cast, overload

from accounts.models import Profile

from . import services, stripe_client
from .models import Subscription
from .money import money_display
from .selectors import subscription_current

# The states in which an unpaid renewal is still waiting for the owner.
WAITING_STATUSES = (
    Subscription.Status.PAST_DUE,
    Subscription.Status.UNPAID,
    Subscription.Status.INCOMPLETE,
)


def payment_action_sync(
    *, invoice_id: str, fallback: dict[str, Any] | None = None
) -> Subscription | None:
    """Record (invoice open and unpaid) or clear (paid, void…) the confirmation an invoice
    asks of the owner, from Stripe's current copy — or, when Stripe no longer has the invoice,
    from ``fallback`` (the signed webhook payload). Returns the subscription row, or None when
    the invoice is not one of the hub's subscriptions."""
    try:
        invoice = stripe_client.invoice_retrieve(invoice_id).to_dict()
    except stripe_client.StripeError as exc:
        if not stripe_client.is_missing(exc) or not fallback:
            raise
        invoice = dict(fallback)
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription_id = services._id(details.get("subscription"))
    row = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
    if row is None:
        return None
    remaining = invoice.get("amount_remaining", invoice.get("amount_due")) or 0
    waiting = (
        invoice.get("status") == "open" and invoice.get("hosted_invoice_url") and remaining > 0
    )
    if waiting:
        fields = {
            "action_required_invoice_id": invoice["id"],
            "action_required_url": invoice["hosted_invoice_url"],
            "action_required_amount": remaining,
            "action_required_currency": invoice.get("currency") or "",
        }
    elif row.action_required_invoice_id == invoice["id"]:
        fields = {
            "action_required_invoice_id": "",
            "action_required_url": "",
            "action_required_amount": None,
            "action_required_currency": "",
        }
    else:
        return row
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, fields[name])
        row.save(update_fields=[*changed, "updated_at"])
    return row


@overload
def billing_action_required(
    *, profile: Profile | None, subscription: Subscription | None
) -> tuple[str, str] | None: ...


@overload
def billing_action_required(
    *, profile: Profile, subscription: Subscription | None | EllipsisType = ...
) -> tuple[str, str] | None: ...


def billing_action_required(
    *, profile: Profile | None, subscription: Subscription | None | EllipsisType = ...
) -> tuple[str, str] | None:
    """``(amount_display, url)`` — e.g. ``("£19.00", "https://invoice.stripe.com/…")`` —
    when the owner's current subscription waits for them to confirm a payment on Stripe's
    hosted invoice page, else None. Pass ``subscription`` when it is already loaded (then
    ``profile`` is not used and may be None)."""
    if subscription is ...:
        # (the overloads: without ``subscription`` a profile is required)
        subscription = subscription_current(profile=cast("Profile", profile))
    if (
        subscription is None
        or not subscription.action_required_url
        or subscription.status not in WAITING_STATUSES
    ):
        return None
    return (
        money_display(subscription.action_required_amount, subscription.action_required_currency),
        subscription.action_required_url,
    )
