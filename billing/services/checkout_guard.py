"""The double-payment guard: a subscription a checkout just started is cancelled in Stripe
when the owner already pays, or was promised a free month Stripe did not give."""

from __future__ import annotations

import logging

from accounts.models import Profile
from accounts.selectors import user_address_claims, user_subscribed_before

from .. import stripe_client
from ..models import Subscription
from ..selectors import (
    stripe_customer_id_for,
)
from ..stripe_data import ENDED_STATUSES, to_datetime
from .sync import subscription_refresh

log = logging.getLogger(__name__)


def checkout_subscription_refusal(*, profile: Profile, subscription_id: str) -> str | None:
    """Why the subscription a checkout just started must not stand, or None when it may.

    * ``"duplicate"``: Stripe has an older subscription of the owner that is not over
      (two tabs paid two checkouts), so this one would bill the owner twice;
    * ``"trial"``: it started in a free first period although the owner had subscribed
      before (a checkout opened before that, paid afterwards) — a second free month.

    Older means created earlier by Stripe (ties broken by id), so when two checkouts
    complete it is always the later subscription that is refused, whichever is applied first.
    """
    customer_id = stripe_customer_id_for(profile=profile)
    in_stripe = stripe_client.subscriptions_list(customer_id=customer_id) if customer_id else []
    this = next((s for s in in_stripe if s.id == subscription_id), None)
    if this is None or this.status in ENDED_STATUSES:
        return None
    order = (this.created, this.id)
    older = [s for s in in_stripe if s.id != this.id and (s.created, s.id) < order]
    if any(s.status not in ENDED_STATUSES for s in older):
        return "duplicate"
    if this.status == Subscription.Status.TRIALING:
        older_rows = (
            Subscription.objects.filter(profile=profile)
            .exclude(stripe_subscription_id=this.id)
            .filter(stripe_created__lt=to_datetime(this.created))
        )
        if older or older_rows.exists():
            return "trial"
        # Another account with one of this owner's addresses (a Gmail variant, an address
        # since changed) subscribed first: two accounts opened checkouts at once. Stripe's
        # `created` is in seconds; on a tie the one applied later is refused (the other's
        # guard has already let it stand).
        if user_subscribed_before(user=profile.user, before=to_datetime(this.created)):
            return "trial"
        others = Subscription.objects.filter(
            profile__address_claims__in=user_address_claims(user=profile.user),
            stripe_created__lte=to_datetime(this.created),
        ).exclude(profile=profile)
        if others.exists():
            return "trial"
    return None


def checkout_subscription_guard(*, profile: Profile, subscription: Subscription) -> str | None:
    """Cancel, in Stripe, a just-started subscription that ``checkout_subscription_refusal``
    refuses, so an owner is never billed twice nor given a second free month.

    Stripe does not charge a canceled trial; a refused paid subscription has already taken
    its first payment, which must be refunded by hand (logged as an error). Returns the
    reason, or None when the subscription stands.
    """
    reason = checkout_subscription_refusal(
        profile=profile, subscription_id=subscription.stripe_subscription_id
    )
    if reason is None:
        return None
    subscription_id = subscription.stripe_subscription_id
    log_level = logging.WARNING if subscription.status == "trialing" else logging.ERROR
    log.log(
        log_level,
        "Canceling subscription %s of profile %s (%s)%s",
        subscription_id,
        profile.pk,
        reason,
        "" if subscription.status == "trialing" else ": its first payment needs a refund",
    )
    try:
        stripe_client.subscription_cancel(
            subscription_id,
            key=stripe_client.idempotency_key("refuse", subscription_id),
            comment=f"MintKit Hub: refused ({reason})",
        )
    except stripe_client.StripeError as exc:
        if not stripe_client.is_missing(exc):
            raise
    subscription_refresh(subscription_id=subscription_id)
    return reason
