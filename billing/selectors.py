"""Billing reads: plans, a profile's current subscription, admin statistics."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Profile
from accounts.selectors import user_subscribed_before

from .models import MintKitAccess, StripeCustomer, Subscription, SubscriptionPlan


def plans_active() -> QuerySet[SubscriptionPlan]:
    """Plans on sale, in their sort order."""
    return SubscriptionPlan.objects.filter(is_active=True).order_by("sort_order", "amount", "name")


def plan_for_price(*, price_id: str | None) -> SubscriptionPlan | None:
    """The plan whose monthly or yearly Stripe Price is ``price_id``, or None."""
    if not price_id:
        return None
    return SubscriptionPlan.objects.filter(
        Q(stripe_price_id=price_id) | Q(stripe_price_id_yearly=price_id)
    ).first()


def subscription_current(*, profile: Profile) -> Subscription | None:
    """The profile's current subscription (with its plan), or None."""
    return (
        Subscription.objects.select_related("plan").filter(profile=profile, is_current=True).first()
    )


def subscription_live(*, profile: Profile) -> Subscription | None:
    """The current subscription when Stripe may still charge it (not ended)."""
    current = subscription_current(profile=profile)
    if current is not None and current.status in Subscription.LIVE_STATUSES:
        return current
    return None


def subscription_for_stripe_id(*, profile: Profile, subscription_id: str) -> Subscription | None:
    """The profile's copy of Stripe subscription ``subscription_id`` (never another's)."""
    if not subscription_id:
        return None
    return Subscription.objects.filter(
        profile=profile, stripe_subscription_id=subscription_id
    ).first()


def profile_has_subscribed(*, profile: Profile) -> bool:
    """Whether the profile has ever had a subscription recorded by the hub."""
    return Subscription.objects.filter(profile=profile).exists()


def profile_first_subscribed_at(*, profile: Profile) -> datetime | None:
    """When Stripe created the profile's first subscription the hub knows of, or None."""
    return (
        Subscription.objects.filter(profile=profile)
        .order_by("stripe_created")
        .values_list("stripe_created", flat=True)
        .first()
    )


def stripe_free_month_available(*, profile: Profile) -> bool:
    """Whether a checkout now would start with the free first period, as far as the hub
    knows (``services.stripe_trial_days_for`` asks Stripe too): none for a profile that has
    subscribed, nor for an address any account that subscribed has used."""
    if settings.STRIPE_TRIAL_DAYS <= 0 or profile_has_subscribed(profile=profile):
        return False
    return not user_subscribed_before(user=profile.user)


def stripe_customer_id_for(*, profile: Profile) -> str | None:
    return (
        StripeCustomer.objects.filter(profile=profile)
        .values_list("stripe_customer_id", flat=True)
        .first()
    )


def profile_for_stripe_customer(*, customer_id: str) -> Profile | None:
    return Profile.objects.filter(stripe_customer__stripe_customer_id=customer_id).first()


def mintkit_access_for_external_id(*, external_id: str) -> MintKitAccess | None:
    return (
        MintKitAccess.objects.select_related("profile", "profile__user")
        .filter(external_id=external_id)
        .first()
    )


def billing_admin_stats(*, now: datetime | None = None) -> dict[str, Any]:
    """Numbers for the Wagtail admin home and pricing page.

    ``trials_running``: hub trials not yet over (for owners without a subscription that
    grants access) plus Stripe subscriptions in their free period; ``paying_subscriptions``:
    active ones plus past-due ones still in grace; ``mrr_minor``: monthly-normalised plan
    amounts of active subscriptions, in minor units of ``currency``.
    """
    now = now or timezone.now()
    trial_cutoff = now - timedelta(days=settings.HUB_TRIAL_DAYS)
    grace_cutoff = now - timedelta(days=settings.PAST_DUE_GRACE_DAYS)
    current = Subscription.objects.filter(is_current=True)
    paid_or_trialing = current.filter(
        status__in=[Subscription.Status.TRIALING, Subscription.Status.ACTIVE]
    )
    hub_trials = (
        Profile.objects.filter(trial_started_at__gt=trial_cutoff)
        .exclude(subscriptions__in=paid_or_trialing)
        .count()
    )
    stripe_trials = current.filter(status=Subscription.Status.TRIALING).count()
    paying = current.filter(
        Q(status=Subscription.Status.ACTIVE)
        | Q(status=Subscription.Status.PAST_DUE, past_due_since__gt=grace_cutoff)
    ).count()
    mrr = 0
    currencies: set[str] = set()
    for amount, interval, plan_currency in current.filter(
        status=Subscription.Status.ACTIVE, plan__isnull=False
    ).values_list("plan__amount", "plan__interval", "plan__currency"):
        mrr += amount if interval == SubscriptionPlan.Interval.MONTH else round(amount / 12)
        currencies.add(plan_currency)
    currency: str | None = currencies.pop() if len(currencies) == 1 else None
    if currency is None:
        currency = plans_active().values_list("currency", flat=True).first() or "gbp"
    return {
        "trials_running": hub_trials + stripe_trials,
        "paying_subscriptions": paying,
        "mrr_minor": mrr,
        "currency": currency,
    }


def studio_opened(*, profile: Profile) -> bool:
    """Whether the owner has opened MintKit Studio from the hub at least once. One query."""
    return MintKitAccess.objects.filter(profile=profile, access_count__gt=0).exists()
