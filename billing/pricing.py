"""Plans as a given viewer sees them: prices per interval, the free first month only for
those who qualify, and for a subscriber their plan, its next charge and "Switch to …".

Plans are priced monthly (``SubscriptionPlan.amount``); the yearly price is
``YEARLY_MONTHS`` × the monthly amount, a Stripe Price of its own
(``SubscriptionPlan.stripe_price_id_yearly``, created by ``plan_yearly_price_sync``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.models import Profile

from . import stripe_client
from .actions import billing_action_required
from .models import Subscription, SubscriptionPlan
from .money import money_display
from .selectors import plans_active

YEARLY_MONTHS = 10  # a year costs ten months: two months free
INTERVALS = ("month", "year")
ACCESS_STATUSES = (Subscription.Status.TRIALING, Subscription.Status.ACTIVE)


def long_date(value: datetime | None) -> str:
    """ "26 Dec 2026" in the site's time zone (money dates always carry the year)."""
    return date_format(timezone.localtime(value), "j M Y") if value else ""


def interval_parse(value: str | None) -> str | None:
    """``month`` (the default, for a missing or empty value) or ``year``; None for anything
    else (a forged value is refused, never guessed)."""
    if value in (None, ""):
        return "month"
    return value if value in INTERVALS else None


def plan_amount_for(*, plan: SubscriptionPlan, interval: str) -> int:
    """The plan's price per ``interval`` in minor units."""
    return plan.amount * YEARLY_MONTHS if interval == "year" else plan.amount


def plan_price_id_for(*, plan: SubscriptionPlan, interval: str) -> str:
    """The plan's Stripe Price id for ``interval`` ("" until ``stripe_sync_plans`` ran)."""
    return plan.stripe_price_id_yearly if interval == "year" else plan.stripe_price_id


def subscription_interval(*, subscription: Subscription) -> str:
    """ "year" when the subscription bills the plan's yearly price, else "month"."""
    plan = subscription.plan
    yearly = plan.stripe_price_id_yearly if plan else ""
    return "year" if yearly and subscription.stripe_price_id == yearly else "month"


def subscription_next_charge(*, subscription: Subscription) -> tuple[int, str, datetime] | None:
    """(amount, currency, when) of the next regular charge of a subscription that gives
    access and renews, else None. Prorations and credits are Stripe's to add."""
    if (
        subscription.status not in ACCESS_STATUSES
        or subscription.cancellation_scheduled
        or subscription.plan is None
    ):
        return None
    when = (
        subscription.trial_end
        if subscription.status == Subscription.Status.TRIALING
        else subscription.current_period_end
    )
    if when is None:
        return None
    interval = subscription_interval(subscription=subscription)
    return (
        plan_amount_for(plan=subscription.plan, interval=interval),
        subscription.plan.currency,
        when,
    )


def plan_yearly_price_sync(*, plan: SubscriptionPlan) -> str:
    """Make sure ``plan`` has an active yearly Stripe Price of ``YEARLY_MONTHS`` × its monthly
    amount on its product (``plan_sync_to_stripe`` makes the product); returns "ok",
    "created" or "updated"."""
    amount = plan_amount_for(plan=plan, interval="year")
    currency = plan.currency.lower()
    if plan.stripe_price_id_yearly:
        try:
            price = stripe_client.price_retrieve(plan.stripe_price_id_yearly)
            interval = price.recurring.interval if price.recurring else None
            if (
                price.unit_amount == amount
                and price.currency == currency
                and interval == "year"
                and price.active
            ):
                return "ok"
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
    if not plan.stripe_product_id:
        return "skipped"
    outcome = "updated" if plan.stripe_price_id_yearly else "created"
    price = stripe_client.price_create(
        product_id=plan.stripe_product_id,
        amount=amount,
        currency=currency,
        interval="year",
        lookup_key=f"mintkit_{plan.slug}_year",
        metadata={"plan": plan.slug},
        key=stripe_client.idempotency_key(
            "price-yearly",
            plan.stripe_product_id,
            amount,
            currency,
            plan.stripe_price_id_yearly,
            timezone.now().date(),
        ),
    )
    SubscriptionPlan.objects.filter(pk=plan.pk).update(stripe_price_id_yearly=price.id)
    plan.stripe_price_id_yearly = price.id
    return outcome


# -- what the viewer sees ----------------------------------------------------------------


def free_month_label() -> str:
    days = settings.STRIPE_TRIAL_DAYS
    return "First month free" if 28 <= days <= 31 else f"First {days} days free"


@dataclass
class PlanCard:
    plan: SubscriptionPlan
    interval: str
    amount: int
    # "subscribe" (checkout), "switch" (plan change), "current" (their plan), "resume"
    # (their plan, set to cancel: the portal), "update_card" (their plan, payment failed:
    # the portal), "confirm_payment" (their plan, a payment waits for 3-D Secure: a link to
    # Stripe's hosted invoice page, ``url``), "none" (nothing to press: see ``note``).
    action: str
    url: str = ""
    label: str = ""
    badge: str = ""  # "Your plan" or the free-month badge
    next_charge: str = ""
    note: str = ""

    @property
    def monthly_equivalent(self) -> int:
        return round(self.amount / 12) if self.interval == "year" else self.amount


@dataclass
class Pricing:
    interval: str
    cards: list[PlanCard] = field(default_factory=list)
    free_month: bool = False
    subscriber: bool = False


def pricing_for(
    *,
    profile: Profile | None,
    subscription: Subscription | None,
    free_month: bool,
    interval: str,
    plans: Iterable[SubscriptionPlan] | None = None,
) -> Pricing:
    """The plan cards for a viewer (``profile`` None for a visitor) at ``interval``.

    ``subscription`` is the profile's current subscription and ``free_month`` whether their
    next checkout starts free (``dashboard.free_month_for``), both passed in so a page that
    already has them spends no query.
    """
    plans = list(plans if plans is not None else plans_active())
    live = subscription is not None and subscription.status in Subscription.LIVE_STATUSES
    pricing = Pricing(interval=interval, free_month=free_month and not live, subscriber=live)
    their_interval = (
        subscription_interval(subscription=subscription)
        if live and subscription is not None
        else None
    )
    # A payment waiting for the owner's 3-D Secure confirmation comes first, as in the
    # billing-state banner: confirm it, nothing else (no query: the subscription is loaded).
    waiting = (
        billing_action_required(profile=profile, subscription=subscription)
        if live and subscription is not None
        else None
    )
    for plan in plans:
        amount = plan_amount_for(plan=plan, interval=interval)
        card = PlanCard(plan=plan, interval=interval, amount=amount, action="subscribe")
        if not live or subscription is None:  # (never live without one)
            card.label = f"Subscribe to {plan.name}"
            if pricing.free_month:
                card.badge = free_month_label()
                card.note = (
                    f"{free_month_label()} on your first subscription, then "
                    f"{money_display(amount, plan.currency)} a {interval}. Cancel any time."
                )
            pricing.cards.append(card)
            continue
        theirs = subscription.plan_id == plan.pk and their_interval == interval
        if theirs:
            card.badge = "Your plan"
            if waiting is not None:
                amount_due, card.url = waiting
                card.action, card.label = "confirm_payment", "Confirm payment"
                card.note = (
                    f"Your bank asks you to confirm the payment of {amount_due} on Stripe's "
                    "page to keep this plan."
                )
            elif subscription.cancellation_scheduled:
                card.action, card.label = "resume", f"Resume {plan.name}"
                card.note = (
                    f"Set to end on {long_date(subscription.scheduled_end)}. Resume it to "
                    "keep MintKit Studio."
                )
            elif subscription.status not in ACCESS_STATUSES:
                card.action, card.label = "update_card", "Update card"
                card.note = "Your last payment failed. Update your card to keep this plan."
            else:
                card.action = "current"
                charge = subscription_next_charge(subscription=subscription)
                if charge:
                    next_amount, currency, when = charge
                    if subscription.status == Subscription.Status.TRIALING:
                        card.next_charge = (
                            f"Free until {long_date(when)}, then "
                            f"{money_display(next_amount, currency)} a {their_interval}"
                        )
                    else:
                        card.next_charge = (
                            "Next charge: "
                            f"{money_display(next_amount, currency)} on {long_date(when)}"
                        )
        elif waiting is not None:
            card.action = "none"
            card.note = "Confirm your payment first; then you can switch plans."
        elif subscription.cancellation_scheduled:
            card.action = "none"
            card.note = "Resume your plan to switch to another one."
        elif subscription.status not in ACCESS_STATUSES:
            card.action = "none"
            card.note = "Update your card first; then you can switch plans."
        else:
            card.action = "switch"
            if subscription.plan_id == plan.pk:
                card.label = f"Switch to {interval}ly billing"
            else:
                card.label = f"Switch to {plan.name}"
        pricing.cards.append(card)
    return pricing
