"""Reads for the periodic lifecycle job."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Profile

from .models import EmailKind, LifecycleEmail

# The hub-trial reminders: "ends in 3 days" from 3 days before the end until the last day,
# then "last day" during the final 24 hours. An hourly job lands in each window.
REMINDER_WINDOWS = (
    (EmailKind.HUB_TRIAL_3_DAYS, timedelta(days=3), timedelta(days=1)),
    (EmailKind.HUB_TRIAL_LAST_DAY, timedelta(days=1), timedelta(0)),
)
# A pending row older than this lost its queue message (worker or broker gone): queue it again.
PENDING_STALE_AFTER = timedelta(minutes=15)


def _subscribed_profile_ids() -> QuerySet:
    from billing.models import Subscription

    return Subscription.objects.filter(
        status__in=(
            Subscription.Status.TRIALING,
            Subscription.Status.ACTIVE,
            Subscription.Status.PAST_DUE,
        )
    ).values("profile_id")


def hub_trial_reminders_due(*, now: datetime) -> Iterator[tuple[Profile, str, datetime]]:
    """(profile, kind, trial end) for each owner whose hub trial ends within a reminder window
    and who has not subscribed. Owners whose trial cannot run (unverified e-mail where that
    is required) are left out."""
    from billing.entitlements import hub_trial_allowed, hub_trial_ends_at

    length = timedelta(days=settings.HUB_TRIAL_DAYS)
    for kind, before, until in REMINDER_WINDOWS:
        profiles = (
            Profile.objects.filter(
                trial_started_at__gt=now + until - length,
                trial_started_at__lte=now + before - length,
            )
            .exclude(pk__in=_subscribed_profile_ids())
            .exclude(lifecycle_emails__kind=kind)
            .select_related("user")
        )
        for profile in profiles:
            if hub_trial_allowed(profile=profile):
                yield profile, kind, hub_trial_ends_at(profile=profile)


def emails_to_retry(*, now: datetime) -> QuerySet[LifecycleEmail]:
    """Rows the worker should (re)try: failed ones whose back-off has passed, and pending ones
    whose queue message was evidently lost."""
    from .services import MAX_ATTEMPTS, RETRY_MAX_SECONDS

    failed = LifecycleEmail.objects.filter(
        status=LifecycleEmail.Status.FAILED,
        attempts__lt=MAX_ATTEMPTS,
        last_attempt_at__lt=now - timedelta(seconds=RETRY_MAX_SECONDS),
    )
    lost = LifecycleEmail.objects.filter(
        status=LifecycleEmail.Status.PENDING, created_at__lt=now - PENDING_STALE_AFTER
    )
    return (failed | lost).order_by("pk")
