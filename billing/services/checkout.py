"""Checkout and the billing portal: where an owner goes to start or manage paying."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile

from .. import setup, stripe_client
from ..exceptions import BillingUnavailable
from ..models import StripeCustomer, SubscriptionPlan
from ..selectors import (
    stripe_customer_id_for,
    stripe_free_month_available,
    subscription_live,
)
from ..stripe_data import as_dict, id_of, int_or_none, to_datetime
from .checkout_guard import checkout_subscription_guard
from .customers import stripe_customer_ensure, stripe_customer_link
from .sync import subscription_refresh

log = logging.getLogger(__name__)


def stripe_trial_days_for(*, profile: Profile, customer_id: str | None) -> int:
    """``STRIPE_TRIAL_DAYS`` on a profile's first-ever subscription, otherwise 0.

    Asks Stripe too: a subscription whose webhook has not arrived yet still counts. An
    account using (or that has used) an address — compared as a mailbox, so Gmail dots,
    googlemail.com and "+tags" do not count as new — of any account that had subscribed
    gets none (``selectors.stripe_free_month_available``).
    """
    if not stripe_free_month_available(profile=profile):
        return 0
    if customer_id and stripe_client.subscriptions_list(customer_id=customer_id):
        return 0
    return settings.STRIPE_TRIAL_DAYS


def portal_url_create(*, profile: Profile, return_url: str, flow: str | None = None) -> str | None:
    """A Stripe billing portal URL for the profile, or None without a Stripe customer;
    ``flow`` ("payment_method_update") opens the portal straight at that task."""
    customer_id = stripe_customer_id_for(profile=profile)
    if not customer_id:
        return None
    try:
        # The hub's own portal configuration (stripe_setup), never the account's default.
        url: str = setup.portal_session_create(
            customer_id=customer_id, return_url=return_url, flow=flow
        ).url
        return url
    except stripe_client.StripeError as exc:
        log.warning("Stripe portal session failed for profile %s: %s", profile.pk, exc)
        raise BillingUnavailable(str(exc)) from exc


def checkout_start(
    *,
    profile: Profile,
    plan: SubscriptionPlan,
    success_url: str,
    cancel_url: str,
    portal_return_url: str,
    price_id: str | None = None,
) -> tuple[str, str | None]:
    """Where to send an owner who wants ``plan``: ``("checkout", url)`` for a new Stripe
    Checkout Session, or ``("portal", url)`` when the owner already has a live subscription
    (so nobody pays twice).
    """
    price_id = plan.stripe_price_id if price_id is None else price_id  # or the yearly one
    if not price_id:
        raise BillingUnavailable(f"Plan {plan.slug} has no Stripe price; run stripe_sync_plans.")
    try:
        if subscription_live(profile=profile) is not None:
            return "portal", portal_url_create(profile=profile, return_url=portal_return_url)
        customer_id = stripe_customer_ensure(profile=profile)
        if not stripe_client.customer_exists(customer_id):
            # Stripe no longer knows the customer (deleted, or a restarted dev emulator):
            # forget the link and start again with a new customer.
            StripeCustomer.objects.filter(profile=profile, stripe_customer_id=customer_id).delete()
            customer_id = stripe_customer_ensure(profile=profile, replacing=customer_id)
        in_stripe = stripe_client.subscriptions_list(customer_id=customer_id)
        live_in_stripe = [
            s for s in in_stripe if s.status not in ("canceled", "incomplete_expired")
        ]
        if live_in_stripe:
            # Paid a moment ago and the webhook has not arrived yet: record it now.
            for stripe_sub in live_in_stripe:
                subscription_refresh(subscription_id=stripe_sub.id, customer_id=customer_id)
            return "portal", portal_url_create(profile=profile, return_url=portal_return_url)
        # Only one Checkout Session per owner can be paid: an older one left open in another
        # tab would otherwise start a second subscription (with a second free month).
        expired_ids = checkout_sessions_expire_open(customer_id=customer_id)
        trial_days = stripe_trial_days_for(profile=profile, customer_id=customer_id)
        metadata = {"profile_id": str(profile.pk), "plan": plan.slug}
        subscription_data: dict[str, Any] = {"metadata": metadata}
        if trial_days:
            subscription_data["trial_period_days"] = trial_days
        params = {
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(profile.pk),
            "line_items": [{"price": price_id, "quantity": 1}],
            "metadata": metadata,
            "subscription_data": subscription_data,
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        # Two identical requests at the same moment get the same session back from Stripe.
        # The sessions just expired are part of the key, so a later click in the same minute
        # never gets an expired session replayed; so is the customer, so a replaced customer
        # never reuses a key with different parameters (Stripe's idempotency_error).
        minute = timezone.now().strftime("%Y%m%d%H%M")
        key = stripe_client.idempotency_key(
            "checkout",
            profile.pk,
            customer_id,
            price_id,
            trial_days,
            success_url,
            minute,
            *expired_ids,
        )
        session = stripe_client.checkout_session_create(params=params, key=key)
    except stripe_client.StripeError as exc:
        log.warning("Stripe checkout failed for profile %s: %s", profile.pk, exc)
        raise BillingUnavailable(str(exc)) from exc
    return "checkout", session.url


def checkout_sessions_expire_open(
    *, customer_id: str, created_until: datetime | None = None
) -> list[str]:
    """Expire the customer's open Checkout Sessions (only those created by ``created_until``
    when given); returns their ids."""
    expired = []
    for session in stripe_client.checkout_sessions_open(customer_id=customer_id):
        created = to_datetime(session.created)
        if created_until is not None and created is not None and created > created_until:
            continue
        try:
            stripe_client.checkout_session_expire(session.id)
        except stripe_client.InvalidRequestError as exc:
            # Completed or expired between the list and now: nothing left to do.
            log.info("Checkout Session %s not expired: %s", session.id, exc)
        expired.append(session.id)
    return sorted(expired)


def checkout_session_for_owner(*, profile: Profile, session_id: str) -> Any:
    """The Checkout Session ``session_id`` if it belongs to ``profile``, else None.

    Ownership comes from Stripe's copy of the session (our ``client_reference_id`` and the
    profile's customer), never from the query string.
    """
    if not session_id or not session_id.startswith("cs_"):
        return None
    try:
        session = stripe_client.checkout_session_retrieve(session_id)
    except stripe_client.StripeError as exc:
        if stripe_client.is_missing(exc):
            return None
        raise BillingUnavailable(str(exc)) from exc
    if session.client_reference_id != str(profile.pk):
        return None
    customer_id = stripe_customer_id_for(profile=profile)
    if customer_id and id_of(session.customer) != customer_id:
        return None
    return session


def checkout_session_apply(*, session: Any, event_created: datetime | None = None) -> str:
    """Apply a completed Checkout Session: link its customer, record its subscription.

    Returns ``"applied"`` or ``"ignored"`` (not ours, or not completed).
    """
    session = as_dict(session)
    if session.get("mode") != "subscription" or session.get("status") != "complete":
        return "ignored"
    profile_pk = int_or_none(session.get("client_reference_id"))
    profile = Profile.objects.filter(pk=profile_pk).first() if profile_pk is not None else None
    customer_id = id_of(session.get("customer"))
    if profile is None or not customer_id:
        return "ignored"
    with transaction.atomic():
        Profile.objects.select_for_update().filter(pk=profile.pk).first()
        stripe_customer_link(profile=profile, customer_id=customer_id)
    subscription_id = id_of(session.get("subscription"))
    if not subscription_id:
        return "ignored"
    result = subscription_refresh(
        subscription_id=subscription_id, customer_id=customer_id, event_created=event_created
    )
    if result is None:
        return "ignored"
    # Paid: no session of this owner opened until then may start another subscription. (One
    # opened later was opened after this subscription ended: a delayed webhook leaves it be.)
    checkout_sessions_expire_open(customer_id=customer_id, created_until=result.stripe_created)
    checkout_subscription_guard(profile=profile, subscription=result)
    return "applied"
