"""What the owner dashboard (and the Studio page) shows about access and billing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import EllipsisType
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.models import Profile
from accounts.selectors import profile_trial_ends_at

from .actions import billing_action_required
from .entitlements import Entitlement, entitlement_for
from .models import Subscription
from .selectors import stripe_free_month_available, subscription_current


@dataclass(frozen=True)
class Banner:
    """A notice above the billing panel: ``level`` is a Bootstrap alert colour, ``action``
    the button it offers ("portal" or "plans"). Reads as a dict too (``banner["text"]``)."""

    level: str
    action: str
    text: str

    def __getitem__(self, key: str) -> str:
        if key not in ("level", "action", "text"):
            raise KeyError(key)
        return str(getattr(self, key))


SOON_DAYS = 3


def short_date(value: datetime | None, now: datetime | None = None) -> str:
    """ "3 Jan" in the site's time zone; "3 Jan 2027" when not in the year of ``now``."""
    if not value:
        return ""
    local = timezone.localtime(value)
    same_year = local.year == timezone.localtime(now or timezone.now()).year
    return date_format(local, "j M" if same_year else "j M Y")


def days_left(until: datetime, now: datetime) -> int:
    return max(0, math.ceil((until - now).total_seconds() / 86400))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def subscription_ended_on(subscription: Subscription, now: datetime) -> datetime | None:
    """When a canceled subscription ended, as best the hub knows, or None.

    The hub keeps no ``ended_at``: a cancellation date that has passed wins, then a period
    end that has passed (cancelled at period end), then the newest Stripe event applied
    (an immediate cancellation's ``customer.subscription.deleted``).
    """
    for candidate in (
        subscription.cancel_at,
        subscription.current_period_end,
        subscription.latest_event_created,
    ):
        if candidate is not None and candidate <= now:
            return candidate
    return None


def ended_plan_text(subscription: Subscription, now: datetime) -> str:
    """ "Your Pro plan ended on 3 Jan" (or "... has ended" when the date is unknown)."""
    plan = f"Your {subscription.plan.name} plan" if subscription.plan else "Your plan"
    ended = subscription_ended_on(subscription, now)
    return f"{plan} ended on {short_date(ended, now)}" if ended else f"{plan} has ended"


# A trial start this much before the profile was created was resumed from the address
# ledger (``accounts.services.profile_create``): the owner had it with an earlier account.
RESUMED_TRIAL_MARGIN = timedelta(minutes=1)


def free_month_for(*, profile: Profile, subscription: Subscription | None) -> bool:
    """Whether the owner's next checkout starts with the free first period (as far as the
    hub knows), given their current ``subscription`` (any subscription row makes one
    current, so one set means the profile has subscribed: no query needed)."""
    return subscription is None and stripe_free_month_available(profile=profile)


def no_trial_notes(
    *,
    profile: Profile,
    now: datetime | None = None,
    subscription: Subscription | None = None,
    free_month: bool | None = None,
) -> list[str]:
    """Why a returning owner gets no (or a shorter) free trial, in polite words: the hub
    trial resumed from an earlier account with the same address, and no free first month
    on a paid plan for an address that has had one. Empty for everyone else."""
    now = now or timezone.now()
    notes = []
    if profile.trial_started_at < profile.created_at - RESUMED_TRIAL_MARGIN:
        ends = profile_trial_ends_at(profile=profile)
        if ends > now:
            notes.append(
                "Your free trial began earlier with this e-mail address, so it carries on "
                f"from then and ends on {short_date(ends, now)} rather than starting again."
            )
        else:
            notes.append(
                "You had your free trial earlier with this e-mail address, so there isn't "
                "a new one this time."
            )
    live = subscription is not None and subscription.status in Subscription.LIVE_STATUSES
    offered = settings.STRIPE_TRIAL_DAYS > 0
    if free_month is None:
        free_month = free_month_for(profile=profile, subscription=subscription)
    if not live and offered and not free_month:
        notes.append(
            "Your first month was free earlier with this e-mail address, so there's no "
            "free month this time: billing starts the day you subscribe."
        )
    return notes


def billing_panel(
    *,
    profile: Profile,
    now: datetime | None = None,
    subscription: Subscription | None | EllipsisType = ...,
) -> dict[str, Any]:
    """Context for ``billing/includes/dashboard_panel.html``.

    ``headline`` is the access status in plain words; ``banners`` are things the owner
    should act on (each ``{"level", "text", "action"}`` with action "portal" or "plans");
    ``show_portal`` says whether a "Manage billing" button applies; ``no_trial_notes`` why a
    returning owner gets no free trial or month (``no_trial_notes``); ``stripe_free_month``
    whether plan cards may offer the free first period to this owner.
    ``subscription`` may be passed when the page has loaded it (no second look-up).
    """
    now = now or timezone.now()
    if isinstance(subscription, EllipsisType):  # not passed by a page that has loaded it
        subscription = subscription_current(profile=profile)
    ent: Entitlement = entitlement_for(profile=profile, now=now, subscription=subscription)
    plan_name = subscription.plan.name if subscription and subscription.plan else "Your"
    banners: list[Banner] = []
    status = subscription.status if subscription else None
    S = Subscription.Status
    # A renewal waiting for 3-D Secure (no query: the subscription is loaded).
    waiting = billing_action_required(profile=profile, subscription=subscription)
    # Access from a subscription (the entitlement's source) always has one.
    paying = subscription if ent.source == "subscription" else None

    if paying is not None and paying.cancellation_scheduled:
        end = short_date(paying.scheduled_end, now)
        headline = f"Cancels on {end} — resume?"
        banners.append(
            Banner(
                level="warning",
                action="portal",
                text=f"Your {plan_name} plan cancels on {end}. Resume it to keep MintKit Studio.",
            )
        )
    elif paying is not None and status == S.TRIALING:
        headline = f"{plan_name} plan — free until {short_date(paying.trial_end, now)}"
        if paying.trial_end and days_left(paying.trial_end, now) <= SOON_DAYS:
            n = days_left(paying.trial_end, now)
            banners.append(
                Banner(
                    level="info",
                    action="portal",
                    text=f"Your free month ends in {_plural(n, 'day')}; your card "
                    f"is charged on {short_date(paying.trial_end, now)}.",
                )
            )
    elif paying is not None:
        headline = f"{plan_name} plan — renews {short_date(paying.current_period_end, now)}"
    elif ent.source == "grace" and waiting is not None:
        headline = f"Payment of {waiting[0]} waits for your confirmation"
    elif ent.source == "grace":
        headline = "Payment failed — update your card"
        banners.append(
            Banner(
                level="danger",
                action="portal",
                text="Your last payment failed. Update your card by "
                f"{short_date(ent.grace_ends_at, now)} to keep MintKit Studio.",
            )
        )
    elif ent.source == "trial":
        n = days_left(ent.trial_ends_at or now, now)  # (a running trial has its end)
        headline = f"Free trial — {_plural(n, 'day')} left"
        if n <= SOON_DAYS:
            banners.append(
                Banner(
                    level="warning",
                    action="plans",
                    text=f"Your free trial ends in {_plural(n, 'day')}. Choose a "
                    "plan to keep MintKit Studio.",
                )
            )
        if status == S.PAST_DUE:
            banners.append(
                Banner(
                    level="danger",
                    action="portal",
                    text="Your last payment failed — update your card.",
                )
            )
        if subscription is not None and status == S.CANCELED:
            banners.append(
                Banner(
                    level="info",
                    action="plans",
                    text=f"{ended_plan_text(subscription, now)}. Choose a plan to keep "
                    "MintKit Studio after your free trial.",
                )
            )
    elif status in (S.PAST_DUE, S.UNPAID) and waiting is not None:
        headline = f"No access — confirm your payment of {waiting[0]}"
    elif status in (S.PAST_DUE, S.UNPAID):
        headline = "No access — payment failed, update your card"
        banners.append(
            Banner(
                level="danger",
                action="portal",
                text="Your payment failed and your grace period is over. Update "
                "your card to restore MintKit Studio.",
            )
        )
    elif status in (S.TRIALING, S.ACTIVE):
        # Past its period with no news from Stripe (see entitlements.STALE_AFTER).
        headline = "No access — we couldn't confirm your subscription with Stripe"
        banners.append(
            Banner(
                level="warning",
                action="portal",
                text="Your subscription's period has ended and Stripe hasn't told us it "
                "renewed. Check your billing details.",
            )
        )
    elif subscription is not None and status == S.CANCELED:
        headline = f"{ended_plan_text(subscription, now)} — choose a plan"
    else:
        headline = "No access — choose a plan"

    live = subscription is not None and status in Subscription.LIVE_STATUSES
    free_month = free_month_for(profile=profile, subscription=subscription)
    return {
        "next_charge": next_charge_text(subscription=subscription),
        "entitlement": ent,
        "subscription": subscription,
        "headline": headline,
        "banners": banners,
        "show_portal": live,
        "show_plans": not live,
        "no_trial_notes": no_trial_notes(
            profile=profile, now=now, subscription=subscription, free_month=free_month
        ),
        "stripe_free_month": free_month,
    }


def next_charge_text(*, subscription: Subscription | None) -> str:
    """ "Next charge: £19.00 on 26 Dec 2026" (or "Free until 26 Dec 2026, then £19.00 a
    month"), or ""."""
    from .money import money_display as money
    from .pricing import long_date, subscription_interval, subscription_next_charge

    if subscription is None:
        return ""
    charge = subscription_next_charge(subscription=subscription)
    if charge is None:
        return ""
    amount, currency, when = charge
    if subscription.status == Subscription.Status.TRIALING:
        interval = subscription_interval(subscription=subscription)
        return f"Free until {long_date(when)}, then {money(amount, currency)} a {interval}"
    return f"Next charge: {money(amount, currency)} on {long_date(when)}"
