"""Refunds and disputes: ``charge.refunded``, ``charge.dispute.created``,
``charge.dispute.closed``.

Policy (also in docs/STRIPE_MINTKIT_INTEGRATION.md, "Refunds and disputes"):

* A **full** refund of the invoice that paid the subscription's **current** period ends the
  paid access of that period: ``Subscription.refunded_period_end`` records the period, and
  ``entitlements.entitlement_for`` gives no access from the subscription (nor grace) until a
  later period begins. The subscription itself is left as Stripe has it: whoever refunded
  decides whether to cancel it too. A partial refund, or a refund of an earlier period's
  invoice, changes no access.
* A dispute marks the subscription (``dispute_status`` "open", shown and filtered in the
  admin) and e-mails the site's staff once per dispute. A **lost** dispute acts like a full
  refund of the disputed charge; a **won** one clears the mark.

As everywhere in billing, nothing is copied out of the event: the charge, dispute, invoice and
subscription are re-read from Stripe, so events arriving late or out of order end in Stripe's
current state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from core.hub import hub_url

from . import services, stripe_client
from .models import Subscription
from .money import money_display

log = logging.getLogger(__name__)

OPEN_DISPUTE_STATUSES = (
    "warning_needs_response",
    "warning_under_review",
    "needs_response",
    "under_review",
)


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _as_dict(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj or {})


def _retrieve(call: Callable[[str], Any], object_id: str) -> dict[str, Any] | None:
    """Stripe's current copy of an object, or None when Stripe has no such object."""
    try:
        return _as_dict(call(object_id))
    except stripe_client.StripeError as exc:
        if stripe_client.is_missing(exc):
            return None
        raise


def _charge_subscription(
    charge: dict[str, Any],
) -> tuple[Subscription | None, dict[str, Any] | None]:
    """The hub's (refreshed) subscription a charge paid for, and the invoice it paid."""
    payment_intent = services._id(charge.get("payment_intent"))
    if not payment_intent:
        return None, None
    invoice_id = stripe_client.invoice_id_for_payment_intent(payment_intent)
    invoice_key = services._id(invoice_id) if invoice_id else None
    invoice = _retrieve(stripe_client.invoice_retrieve, invoice_key) if invoice_key else None
    if invoice is None:
        return None, None
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription_id = services._id(details.get("subscription"))
    if not subscription_id:
        return None, invoice
    row = services.subscription_refresh(
        subscription_id=subscription_id,
        customer_id=services._id(invoice.get("customer")),
        metadata=details.get("metadata") or {},
    )
    return row, invoice


def invoice_period_end(invoice: dict[str, Any]) -> datetime | None:
    """The end of the subscription period an invoice paid for (its non-proration lines)."""
    ends = []
    for line in (invoice.get("lines") or {}).get("data") or []:
        item = (line.get("parent") or {}).get("subscription_item_details") or {}
        if item.get("proration"):
            continue
        end = (line.get("period") or {}).get("end")
        if end:
            ends.append(int(end))
    return _ts(max(ends)) if ends else None


def _period_revoke(*, row: Subscription, invoice: dict[str, Any]) -> bool:
    """Record that the current period's payment is gone, if ``invoice`` paid for it."""
    end = invoice_period_end(invoice)
    if end is None or row.current_period_end is None or end < row.current_period_end:
        return False  # an earlier period: today's access was paid by another invoice
    if row.refunded_period_end is None or row.refunded_period_end < end:
        row.refunded_period_end = end
        row.save(update_fields=["refunded_period_end", "updated_at"])
    return True


def charge_refunded_apply(*, charge_id: str) -> str:
    """``charge.refunded``: a full refund of the current period's invoice ends its access."""
    charge = _retrieve(stripe_client.charge_retrieve, charge_id)
    if charge is None or not charge.get("refunded"):
        log.info("Charge %s: not (fully) refunded; access unchanged", charge_id)
        return "ignored"
    row, invoice = _charge_subscription(charge)
    if row is None or invoice is None:  # (a subscription is only found through its invoice)
        return "ignored"
    if _period_revoke(row=row, invoice=invoice):
        log.warning(
            "Subscription %s: the current period's payment (charge %s) was refunded; "
            "its access ends now",
            row.stripe_subscription_id,
            charge_id,
        )
    return "applied"


def dispute_apply(*, dispute_id: str) -> str:
    """``charge.dispute.created`` / ``.closed``: bring the subscription's dispute mark to the
    dispute's current status (open → marked, staff told; lost → marked and treated as a
    refund; won → cleared)."""
    dispute = _retrieve(stripe_client.dispute_retrieve, dispute_id)
    charge_id = services._id((dispute or {}).get("charge"))
    charge = _retrieve(stripe_client.charge_retrieve, charge_id) if charge_id else None
    if dispute is None or charge is None:
        return "ignored"
    row, invoice = _charge_subscription(charge)
    if row is None:
        return "ignored"
    status = dispute.get("status")
    is_new = row.stripe_dispute_id != dispute["id"]
    if status == "won":
        if row.stripe_dispute_id in ("", dispute["id"]) and row.dispute_status:
            row.dispute_status = Subscription.DisputeStatus.NONE
            row.stripe_dispute_id = ""
            row.disputed_at = None
            row.save(
                update_fields=["dispute_status", "stripe_dispute_id", "disputed_at", "updated_at"]
            )
        return "applied"
    row.dispute_status = (
        Subscription.DisputeStatus.LOST if status == "lost" else Subscription.DisputeStatus.OPEN
    )
    row.stripe_dispute_id = dispute["id"]
    row.disputed_at = _ts(dispute.get("created"))
    row.save(update_fields=["dispute_status", "stripe_dispute_id", "disputed_at", "updated_at"])
    if status == "lost" and invoice is not None:
        _period_revoke(row=row, invoice=invoice)
    if is_new:
        dispute_staff_notify_on_commit(subscription=row, dispute=dispute)
    return "applied"


def staff_addresses() -> list[str]:
    """Who hears about disputes: ``ADMINS`` and every active staff user with an address."""
    addresses = {address for _, address in getattr(settings, "ADMINS", [])}
    addresses |= set(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(addresses)


def dispute_staff_notify_on_commit(*, subscription: Subscription, dispute: dict[str, Any]) -> None:
    """E-mail the staff about a new dispute once the webhook's transaction commits (so a
    rolled-back attempt, retried by Stripe, tells nobody twice)."""
    recipients = staff_addresses()
    if not recipients:
        log.warning("Dispute %s: no staff address to tell", dispute["id"])
        return
    context = {
        "dispute_id": dispute["id"],
        "amount": money_display(dispute.get("amount"), dispute.get("currency")),
        "reason": (dispute.get("reason") or "").replace("_", " "),
        "status": (dispute.get("status") or "").replace("_", " "),
        "due_by": _ts((dispute.get("evidence_details") or {}).get("due_by")),
        "business_name": subscription.profile.business_name or "(no name)",
        "owner_email": subscription.profile.user.email,
        "plan_name": subscription.plan.name if subscription.plan else "",
        "subscription_id": subscription.stripe_subscription_id,
        "admin_url": hub_url(f"/admin/billing/subscription/inspect/{subscription.pk}/"),
        "stripe_url": "https://dashboard.stripe.com/"
        + ("" if stripe_client.stripe_key_is_live() else "test/")
        + f"disputes/{dispute['id']}",
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    subject = " ".join(
        render_to_string("billing/email/dispute_opened_subject.txt", context).split()
    )
    body = render_to_string("billing/email/dispute_opened.txt", context)

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # noqa: BLE001 - the webhook is committed; log, never 500
            log.exception("Dispute %s: the staff e-mail failed", dispute["id"])

    transaction.on_commit(send)
