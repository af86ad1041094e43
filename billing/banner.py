"""The one billing-state banner every owner page shows, and the Studio page's story.

``billing_state`` names the owner's billing state; ``billing_banner`` says the single most
important thing about it with one button; ``studio_story`` is what the Studio page says when
the Studio is closed. The state × page table is in docs/STRIPE_MINTKIT_INTEGRATION.md and in
``billing/tests/test_banner.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import EllipsisType
from typing import Any, TypedDict

from django.utils import timezone

from accounts.models import Profile

from .actions import billing_action_required
from .dashboard import SOON_DAYS, _plural, days_left, ended_plan_text, short_date
from .entitlements import Entitlement, entitlement_for
from .models import Subscription
from .money import money_display
from .pricing import long_date, subscription_next_charge
from .selectors import subscription_current

# States, most urgent first where two could apply.
ACTION_REQUIRED = "action_required"  # a payment waits for 3-D Secure
PAST_DUE_GRACE = "past_due_grace"  # a payment failed; Studio kept for the grace period
PAYMENT_FAILED = "payment_failed"  # past due (or unpaid) after the grace period
UNCONFIRMED = "unconfirmed"  # trialing/active but past its period with no news from Stripe
CANCEL_SCHEDULED = "cancel_scheduled"
FREE_MONTH = "free_month"  # Stripe trial (the free first month) of a paid plan
ACTIVE = "active"
HUB_TRIAL = "hub_trial"  # the hub's free trial, no subscription
CANCELED = "canceled"  # the subscription ended; no hub trial left
TRIAL_ENDED = "trial_ended"  # hub trial over, never subscribed
STATES = (
    ACTION_REQUIRED,
    PAST_DUE_GRACE,
    PAYMENT_FAILED,
    UNCONFIRMED,
    CANCEL_SCHEDULED,
    FREE_MONTH,
    ACTIVE,
    HUB_TRIAL,
    CANCELED,
    TRIAL_ENDED,
)


def action_required_for(
    *, profile: Profile, subscription: Subscription | None | EllipsisType = ...
) -> tuple[str, str] | None:
    """(amount display, hosted invoice URL) of a payment that waits for the owner's
    authentication, or None (``billing.actions.billing_action_required``; pass
    ``subscription`` when it is loaded already: no query then)."""
    return billing_action_required(profile=profile, subscription=subscription)


def billing_state(
    *,
    profile: Profile,
    subscription: Subscription | None,
    ent: Entitlement,
    action: tuple[str, str] | None,
) -> str:
    status = subscription.status if subscription else None
    S = Subscription.Status
    if action is not None:
        return ACTION_REQUIRED
    if ent.source == "grace":
        return PAST_DUE_GRACE
    if status in (S.PAST_DUE, S.UNPAID, S.INCOMPLETE):
        return PAYMENT_FAILED
    if ent.source == "subscription":
        assert subscription is not None  # (access from a subscription always has one)
        if subscription.cancellation_scheduled:
            return CANCEL_SCHEDULED
        if status == S.TRIALING:
            return FREE_MONTH
        return ACTIVE
    if status in (S.TRIALING, S.ACTIVE):
        return UNCONFIRMED
    if ent.source == "trial":
        return HUB_TRIAL
    if subscription is not None:
        return CANCELED
    return TRIAL_ENDED


def billing_state_for(*, profile: Profile, panel: dict[str, Any]) -> str:
    """``billing_state`` from a ``dashboard.billing_panel`` context (no second lookup)."""
    return billing_state(
        profile=profile,
        subscription=panel["subscription"],
        ent=panel["entitlement"],
        action=action_required_for(profile=profile, subscription=panel["subscription"]),
    )


@dataclass(frozen=True)
class Banner:
    state: str
    level: str  # Bootstrap alert level
    text: str
    button: str = ""  # label; "" for no button
    kind: str = ""  # "portal" (POST /billing/portal/) or "link" (GET ``url``)
    url: str = ""


PLANS_URL = "/pricing/"


def billing_banner(
    *,
    profile: Profile,
    now: datetime | None = None,
    subscription: Subscription | None | EllipsisType = ...,
    ent: Entitlement | None = None,
) -> Banner | None:
    """The single most important thing about the owner's billing, or None when all is well
    (an active plan that renews). ``subscription`` and ``ent`` may be passed when the page
    has them already."""
    now = now or timezone.now()
    if subscription is ...:
        subscription = subscription_current(profile=profile)
    if ent is None:
        ent = entitlement_for(profile=profile, now=now, subscription=subscription)
    action = action_required_for(profile=profile, subscription=subscription)
    state = billing_state(profile=profile, subscription=subscription, ent=ent, action=action)
    plan = subscription.plan.name if subscription and subscription.plan else ""
    your_plan = f"Your {plan} plan" if plan else "Your plan"
    if state == ACTION_REQUIRED:
        assert action is not None  # (the state says so)
        amount, url = action
        return Banner(
            state,
            "danger",
            f"Confirm your payment of {amount}: your bank asks you to approve it.",
            "Confirm payment",
            "link",
            url,
        )
    if state == PAST_DUE_GRACE:
        return Banner(
            state,
            "danger",
            "Your last payment failed. Update your card by "
            f"{short_date(ent.grace_ends_at, now)} to keep MintKit Studio.",
            "Update card",
            "portal",
        )
    if state == PAYMENT_FAILED:
        return Banner(
            state,
            "danger",
            "Your payment failed and your grace period is over. Update your card to "
            "restore MintKit Studio.",
            "Update card",
            "portal",
        )
    if state == UNCONFIRMED:
        return Banner(
            state,
            "warning",
            "Your subscription's period has ended and Stripe hasn't told us it renewed. "
            "Check your billing details.",
            "Manage billing",
            "portal",
        )
    if state == CANCEL_SCHEDULED:
        assert subscription is not None  # (the state comes from the subscription)
        return Banner(
            state,
            "warning",
            f"{your_plan} cancels on {short_date(subscription.scheduled_end, now)}. Resume it to "
            "keep MintKit Studio.",
            "Resume",
            "portal",
        )
    if state == FREE_MONTH:
        assert subscription is not None  # (the state comes from the subscription)
        n = days_left(subscription.trial_end, now) if subscription.trial_end else None
        if n is None or n > SOON_DAYS:
            return None
        charge = subscription_next_charge(subscription=subscription)
        amount = ""
        if charge:
            amount = f" {money_display(charge[0], charge[1])}"
        return Banner(
            state,
            "info",
            f"Your free month ends in {_plural(n, 'day')}; your card is charged{amount} on "
            f"{long_date(subscription.trial_end)}.",
            "Manage billing",
            "portal",
        )
    if state == HUB_TRIAL:
        # Plenty of trial left is not news (the dashboard says how many days are left); the
        # last few days are.
        assert ent.trial_ends_at is not None  # (a running hub trial has its end)
        n = days_left(ent.trial_ends_at, now)
        if n > SOON_DAYS:
            return None
        return Banner(
            state,
            "warning",
            f"Your free trial ends in {_plural(n, 'day')}. Choose a plan to keep MintKit Studio.",
            "Choose a plan",
            "link",
            PLANS_URL,
        )
    if state == CANCELED:
        assert subscription is not None  # (CANCELED: there is an ended subscription)
        return Banner(
            state,
            "info",
            f"{ended_plan_text(subscription, now)}. Choose a plan to open MintKit Studio again.",
            "Choose a plan",
            "link",
            PLANS_URL,
        )
    if state == TRIAL_ENDED:
        return Banner(
            state,
            "info",
            "Your free trial has ended. Choose a plan to open MintKit Studio.",
            "Choose a plan",
            "link",
            PLANS_URL,
        )
    return None  # ACTIVE


class StudioStory(TypedDict):
    title: str
    text: str
    plans: bool


def studio_story(
    *, state: str, subscription: Subscription | None, now: datetime | None = None
) -> StudioStory:
    """What the Studio page says when the Studio is closed, and whether plan cards belong
    under it (only when choosing a plan is the way back in)."""
    now = now or timezone.now()
    if state in (PAYMENT_FAILED, ACTION_REQUIRED):
        return {
            "title": "MintKit Studio is paused until your payment goes through",
            "text": "Your plan is still yours: once the payment is made, the Studio opens "
            "again. Use the button at the top of the page.",
            "plans": False,
        }
    if state == UNCONFIRMED:
        return {
            "title": "We couldn't confirm your subscription with Stripe",
            "text": "Check your billing details with the button at the top of the page.",
            "plans": False,
        }
    if state == CANCELED:
        assert subscription is not None  # (CANCELED: there is an ended subscription)
        return {
            "title": "",  # the page's own "You don't have access …"
            "text": f"{ended_plan_text(subscription, now)}. Choose a plan below to open the "
            "Studio again.",
            "plans": True,
        }
    return {
        "title": "",  # the page's own "You don't have access …"
        "text": "Your free trial has ended. Choose a plan below to open the Studio.",
        "plans": True,
    }
