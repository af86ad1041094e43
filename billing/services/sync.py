"""Subscription sync: the hub's copy of each Stripe subscription, written only from what
Stripe says, under a row lock on the owning profile, so concurrent webhooks and the success
page cannot interleave and older state never overwrites newer."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.management.base import OutputWrapper
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile

from .. import stripe_client
from ..entitlements import subscription_paid_until
from ..exceptions import BillingUnavailable
from ..models import StripeCustomer, Subscription
from ..selectors import (
    plan_for_price,
    stripe_customer_id_for,
    subscription_current,
)
from ..stripe_data import as_dict, id_of, int_or_none, to_datetime
from .customers import stripe_customer_link

log = logging.getLogger(__name__)


def _profile_for_subscription(
    *, customer_id: str | None, metadata: dict[str, Any]
) -> Profile | None:
    """The owner of a Stripe subscription: by our customer link, else by our metadata."""
    if customer_id:
        profile = Profile.objects.filter(stripe_customer__stripe_customer_id=customer_id).first()
        if profile is not None:
            return profile
    profile_id = int_or_none((metadata or {}).get("profile_id"))
    if profile_id is None:
        return None
    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is not None and customer_id:
        if stripe_customer_link(profile=profile, customer_id=customer_id) is None:
            return None  # the customer is linked to another profile: not this one's
        linked = stripe_customer_id_for(profile=profile)
        if linked != customer_id:
            return None
    return profile


def subscription_refresh(
    *,
    subscription_id: str,
    customer_id: str | None = None,
    metadata: dict[str, Any] | None = None,
    event_created: datetime | None = None,
    fallback: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Subscription | None:
    """Bring the hub's copy of ``subscription_id`` up to date with Stripe.

    The profile row is locked first and the subscription fetched from Stripe inside the
    lock, so whichever of two concurrent refreshes writes last writes the newest state.
    If Stripe no longer has the subscription, ``fallback`` (a signed webhook payload) is
    applied unless an event newer than ``event_created`` was already applied.
    Returns the row, or None when the subscription is not one of ours.
    """
    now = now or timezone.now()
    with transaction.atomic():
        existing = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
        profile: Profile | None
        if existing is not None:
            profile = existing.profile
        else:
            profile = _profile_for_subscription(
                customer_id=customer_id or id_of((fallback or {}).get("customer")),
                metadata=metadata or (fallback or {}).get("metadata") or {},
            )
        if profile is None:
            hint = None
            try:
                hint = as_dict(stripe_client.subscription_retrieve(subscription_id))
            except stripe_client.StripeError as exc:
                if not stripe_client.is_missing(exc):
                    raise
            if hint:
                profile = _profile_for_subscription(
                    customer_id=id_of(hint.get("customer")), metadata=hint.get("metadata") or {}
                )
            if profile is None:
                return None
        Profile.objects.select_for_update().filter(pk=profile.pk).first()
        row = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
        try:
            data = as_dict(
                # The unpaid invoice dates a past_due subscription's grace (see below).
                stripe_client.subscription_retrieve(subscription_id, expand=["latest_invoice"])
            )
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc) or not fallback:
                raise
            stale = (
                row is not None
                and row.latest_event_created
                and event_created
                and event_created < row.latest_event_created
            )
            if stale:
                return row
            data = as_dict(fallback)
        return _subscription_write(
            profile=profile, row=row, data=data, event_created=event_created, now=now
        )


def _subscription_write(
    *,
    profile: Profile,
    row: Subscription | None,
    data: dict[str, Any],
    event_created: datetime | None,
    now: datetime,
) -> Subscription:
    items = (data.get("items") or {}).get("data") or []
    item = items[0] if items else {}
    price_id = id_of(item.get("price"))
    plan = plan_for_price(price_id=price_id)
    status = data["status"]
    is_new = row is None
    if row is None:
        row = Subscription(profile=profile, stripe_subscription_id=data["id"], is_current=False)
    if status == Subscription.Status.PAST_DUE:
        since = _past_due_started(data.get("latest_invoice")) or event_created or now
        if row.status == Subscription.Status.PAST_DUE and row.past_due_since is not None:
            since = min(since, row.past_due_since)  # keep the earlier start
        # Never later than now (a test clock can put Stripe's time in the future).
        row.past_due_since = min(since, now)
    else:
        row.past_due_since = None
    row.status = status
    row.stripe_customer_id = id_of(data.get("customer")) or row.stripe_customer_id
    row.plan = plan or row.plan
    row.stripe_price_id = price_id or row.stripe_price_id
    row.trial_end = to_datetime(data.get("trial_end"))
    row.current_period_start = to_datetime(item.get("current_period_start"))
    row.current_period_end = to_datetime(item.get("current_period_end"))
    row.cancel_at_period_end = bool(data.get("cancel_at_period_end"))
    row.cancel_at = to_datetime(data.get("cancel_at"))
    row.stripe_created = to_datetime(data.get("created")) or row.stripe_created or now
    if event_created and (
        row.latest_event_created is None or event_created > row.latest_event_created
    ):
        row.latest_event_created = event_created
    row.synced_at = now
    row.save()
    subscription_current_set(profile=profile)
    if is_new:
        # From the moment it starts, every address the account has used has had its free
        # first month (the account may change its address and be deleted later).
        from accounts.services import profile_addresses_mark_subscribed  # accounts imports us

        profile_addresses_mark_subscribed(profile=profile, subscribed_at=row.stripe_created)
    return row


CURRENT_PREFERENCE = (
    # Subscriptions that give access or are being retried first, then others Stripe may
    # still charge, then ended ones: "current" is the subscription that matters to the owner.
    (Subscription.Status.TRIALING, Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE),
    Subscription.LIVE_STATUSES,
)


def _past_due_started(invoice: Any) -> datetime | None:
    """When a subscription's unpaid invoice fell due, from Stripe's copy: its finalization
    (Stripe attempts payment then; the subscription turns past_due at the first failure),
    else its creation. None unless the invoice was expanded and is still unpaid.

    Grace is counted from here whenever the hub learns of the failure: at once by webhook,
    days later from the success page, a re-sync or ``stripe_reconcile``.
    """
    if not isinstance(invoice, dict) or invoice.get("status") not in ("open", "uncollectible"):
        return None
    transitions = invoice.get("status_transitions") or {}
    return to_datetime(transitions.get("finalized_at")) or to_datetime(invoice.get("created"))


def subscription_current_set(*, profile: Profile) -> None:
    """Mark the profile's current subscription: the newest (by Stripe's creation time) that
    gives access or is retrying payment, else the newest Stripe may still charge, else the
    newest of all."""
    rows = Subscription.objects.filter(profile=profile).order_by("-stripe_created", "-pk")
    newest = None
    for statuses in CURRENT_PREFERENCE:
        newest = rows.filter(status__in=statuses).values_list("pk", flat=True).first()
        if newest is not None:
            break
    if newest is None:
        newest = rows.values_list("pk", flat=True).first()
    if newest is None:
        return  # the profile has no subscription at all: nothing to mark
    Subscription.objects.filter(profile=profile, is_current=True).exclude(pk=newest).update(
        is_current=False
    )
    Subscription.objects.filter(pk=newest, is_current=False).update(is_current=True)


def subscription_refresh_if_stale(
    *, profile: Profile, now: datetime | None = None
) -> Subscription | None:
    """Re-read the profile's current trialing/active subscription from Stripe when the hub's
    copy is past the end of its period, so a renewal whose webhook is late or lost still
    counts (and an ended one stops counting). Stripe being unreachable changes nothing.
    Returns the current subscription."""
    now = now or timezone.now()
    current = subscription_current(profile=profile)
    if current is None or current.status not in (
        Subscription.Status.TRIALING,
        Subscription.Status.ACTIVE,
    ):
        return current
    paid_until = subscription_paid_until(subscription=current)
    if paid_until is None or now < paid_until:
        return current
    try:
        subscription_resync(subscription=current)
    except stripe_client.StripeError as exc:
        log.warning("Could not refresh stale subscription %s: %s", current.pk, exc)
        return current
    return subscription_current(profile=profile)


def subscription_resync(*, subscription: Subscription) -> Subscription | None:
    """Re-read one subscription from Stripe and fix any drift (admin action, reconcile)."""
    return subscription_refresh(
        subscription_id=subscription.stripe_subscription_id,
        customer_id=subscription.stripe_customer_id,
    )


def subscriptions_reconcile(*, stdout: OutputWrapper | None = None) -> dict[str, int]:
    """Re-read every known subscription, and every subscription of every known customer,
    from Stripe. Returns counts."""
    seen: set[str] = set()
    counts = {"synced": 0, "failed": 0}

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message)

    for customer in StripeCustomer.objects.select_related("profile"):
        try:
            for stripe_sub in stripe_client.subscriptions_list(
                customer_id=customer.stripe_customer_id
            ):
                seen.add(stripe_sub.id)
                subscription_refresh(
                    subscription_id=stripe_sub.id, customer_id=customer.stripe_customer_id
                )
                counts["synced"] += 1
        except stripe_client.StripeError as exc:
            counts["failed"] += 1
            say(f"customer {customer.stripe_customer_id}: {exc}")
    for row in Subscription.objects.exclude(stripe_subscription_id__in=seen):
        try:
            subscription_resync(subscription=row)
            counts["synced"] += 1
        except stripe_client.StripeError as exc:
            counts["failed"] += 1
            say(f"subscription {row.stripe_subscription_id}: {exc}")
    return counts


def profile_subscriptions_cancel(*, profile: Profile) -> int:
    """Cancel every live Stripe subscription of ``profile`` at once (before its account is
    deleted), so nobody is charged for an account that no longer exists.

    Raises ``BillingUnavailable`` if Stripe cannot be reached: the caller must then not
    delete the account. Returns how many subscriptions were canceled.
    """
    customer_id = stripe_customer_id_for(profile=profile)
    ids = set(
        Subscription.objects.filter(profile=profile)
        .exclude(status__in=[Subscription.Status.CANCELED, Subscription.Status.INCOMPLETE_EXPIRED])
        .values_list("stripe_subscription_id", flat=True)
    )
    try:
        if customer_id:
            ids |= {
                s.id
                for s in stripe_client.subscriptions_list(customer_id=customer_id)
                if s.status not in ("canceled", "incomplete_expired")
            }
        for subscription_id in sorted(ids):
            try:
                stripe_client.subscription_cancel(
                    subscription_id,
                    key=stripe_client.idempotency_key("cancel", subscription_id),
                )
            except stripe_client.StripeError as exc:
                if not stripe_client.is_missing(exc):
                    raise
            subscription_refresh(subscription_id=subscription_id, customer_id=customer_id)
    except stripe_client.StripeError as exc:
        raise BillingUnavailable(str(exc)) from exc
    return len(ids)
