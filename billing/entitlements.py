"""Who may use MintKit Studio: the one entitlement rule (CONTRACT.md), used everywhere.

Studio access holds while any of:

* the hub trial runs (``HUB_TRIAL_DAYS`` from ``profile.trial_started_at``; with
  ``HUB_TRIAL_REQUIRES_VERIFIED_EMAIL`` only once the owner has a verified e-mail address);
* the current Stripe subscription is ``trialing`` or ``active`` (a scheduled cancellation —
  ``cancel_at_period_end`` or ``cancel_at`` — included, until it takes effect);
* it is ``past_due`` and fewer than ``PAST_DUE_GRACE_DAYS`` have passed since it became so.

Everything else (``incomplete``, ``incomplete_expired``, ``unpaid``, ``canceled``,
``paused``, no subscription) gives no access.

Refunds and disputes (``billing/disputes.py``): when the payment for the subscription's
current period was refunded in full, or lost in a dispute (``refunded_period_end`` is at or
after ``current_period_end``), that period gives no access — neither as ``trialing``/``active``
nor as grace — until a later period begins (a renewal Stripe charges again). The hub trial,
if it still runs, still counts.

A ``trialing`` or ``active`` row whose paid (or free) period ended more than
``STALE_AFTER`` ago gives no access by itself: Stripe would have renewed or ended it by then,
so the hub missed the webhooks. Views that open the Studio re-read such a row from Stripe
first (``services.subscription_refresh_if_stale``), and ``stripe_reconcile`` (run daily)
repairs the rest.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import EllipsisType
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import Profile

from .models import Subscription
from .selectors import subscription_current

# How long after the end of its period a trialing/active row is still believed without news
# from Stripe (which retries webhooks for days, but renews within about an hour).
STALE_AFTER = timedelta(days=1)


@dataclass(frozen=True)
class Entitlement:
    studio_access: bool
    source: str | None  # "trial" | "subscription" | "grace" | None
    subscription_status: str | None = None
    plan: str | None = None
    trial_ends_at: datetime | None = None
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False
    grace_ends_at: datetime | None = None
    access_refunded: bool = False  # the current period's payment was refunded / lost

    def as_json(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "studio_access": self.studio_access,
            "source": self.source,
            "subscription_status": self.subscription_status,
            "plan": self.plan,
            "trial_ends_at": iso(self.trial_ends_at),
            "current_period_end": iso(self.current_period_end),
            "cancel_at_period_end": self.cancel_at_period_end,
        }


def hub_trial_ends_at(*, profile: Profile) -> datetime:
    return profile.trial_started_at + timedelta(days=settings.HUB_TRIAL_DAYS)


def hub_trial_allowed(*, profile: Profile, email_verified: bool | None = None) -> bool:
    """Whether the profile may use its hub trial at all (verified e-mail when required).

    ``email_verified`` may be passed when the caller already knows it (a list annotates it).
    """
    if not settings.HUB_TRIAL_REQUIRES_VERIFIED_EMAIL:
        return True
    if email_verified is not None:
        return email_verified
    from allauth.account.models import EmailAddress

    verified: bool = EmailAddress.objects.filter(user_id=profile.user_id, verified=True).exists()
    return verified


def subscription_paid_until(*, subscription: Subscription) -> datetime | None:
    """The end of the period the hub's copy says is paid (or free): the trial end while
    trialing, else the current period end."""
    if subscription.status == Subscription.Status.TRIALING and subscription.trial_end:
        return subscription.trial_end
    return subscription.current_period_end


def subscription_is_stale(*, subscription: Subscription, now: datetime) -> bool:
    """A trialing/active row past the end of its period by more than ``STALE_AFTER``."""
    if subscription.status not in (Subscription.Status.TRIALING, Subscription.Status.ACTIVE):
        return False
    paid_until = subscription_paid_until(subscription=subscription)
    return paid_until is not None and now > paid_until + STALE_AFTER


def past_due_grace_ends_at(*, subscription: Subscription) -> datetime | None:
    if subscription.past_due_since is None:
        return None
    return subscription.past_due_since + timedelta(days=settings.PAST_DUE_GRACE_DAYS)


def subscription_period_refunded(*, subscription: Subscription) -> bool:
    """The payment for the current period was refunded in full or lost in a dispute."""
    refunded, period_end = subscription.refunded_period_end, subscription.current_period_end
    return refunded is not None and period_end is not None and period_end <= refunded


def entitlement_for(
    *,
    profile: Profile,
    now: datetime | None = None,
    subscription: Subscription | None | EllipsisType = ...,
    email_verified: bool | None = None,
) -> Entitlement:
    """Decide Studio access for ``profile`` at ``now`` (default: the current time), by the
    rule in this module's docstring — including: a current period whose payment was refunded
    in full (or lost in a dispute) gives no access from the subscription, nor grace.

    ``subscription`` may be passed when the caller already loaded the current one (or
    ``None`` for "has none"), and ``email_verified`` when it is known, saving queries.
    """
    now = now or timezone.now()
    if subscription is ...:
        subscription = subscription_current(profile=profile)
    trial_ends_at = hub_trial_ends_at(profile=profile)
    hub_trial_runs = now < trial_ends_at and hub_trial_allowed(
        profile=profile, email_verified=email_verified
    )

    if subscription is None:
        if hub_trial_runs:
            return Entitlement(studio_access=True, source="trial", trial_ends_at=trial_ends_at)
        return Entitlement(studio_access=False, source=None, trial_ends_at=trial_ends_at)

    status = subscription.status
    details: dict[str, Any] = {
        "subscription_status": status,
        "plan": subscription.plan.slug if subscription.plan else None,
        "current_period_end": subscription.current_period_end,
        # The contract's flag means "set to end": Stripe expresses that either way.
        "cancel_at_period_end": subscription.cancellation_scheduled,
    }
    stripe_trial_end = subscription.trial_end if status == Subscription.Status.TRIALING else None

    # A subscription set to cancel keeps access only until the cancellation takes effect,
    # even if the "deleted" event has not arrived yet.
    scheduled_end = subscription.scheduled_end
    period_over = scheduled_end is not None and now >= scheduled_end
    stale = subscription_is_stale(subscription=subscription, now=now)
    refunded = subscription_period_refunded(subscription=subscription)
    if (
        status in (Subscription.Status.TRIALING, Subscription.Status.ACTIVE)
        and not period_over
        and not stale
        and not refunded
    ):
        return Entitlement(
            studio_access=True, source="subscription", trial_ends_at=stripe_trial_end, **details
        )
    grace_ends_at = None
    if status == Subscription.Status.PAST_DUE and not refunded:
        grace_ends_at = past_due_grace_ends_at(subscription=subscription)
        if grace_ends_at is not None and now < grace_ends_at:
            return Entitlement(
                studio_access=True,
                source="grace",
                grace_ends_at=grace_ends_at,
                trial_ends_at=None,
                **details,
            )
    if hub_trial_runs:
        return Entitlement(
            studio_access=True,
            source="trial",
            trial_ends_at=trial_ends_at,
            access_refunded=refunded,
            **details,
        )
    return Entitlement(
        studio_access=False,
        source=None,
        trial_ends_at=None,
        grace_ends_at=grace_ends_at,
        access_refunded=refunded,
        **details,
    )
