"""Who may use MintKit Studio: the one entitlement rule (CONTRACT.md), used everywhere.

Until subscriptions land, access comes from the hub trial alone.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Profile


@dataclass(frozen=True)
class Entitlement:
    studio_access: bool
    source: str | None  # "trial" | "subscription" | "grace" | None
    subscription_status: str | None = None
    plan: str | None = None
    trial_ends_at: datetime | None = None
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False

    def as_json(self) -> dict:
        def iso(value):
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


def entitlement_for(*, profile: Profile, now: datetime | None = None) -> Entitlement:
    """Decide Studio access for ``profile`` at ``now`` (default: the current time)."""
    now = now or timezone.now()
    trial_ends_at = hub_trial_ends_at(profile=profile)
    if now < trial_ends_at:
        return Entitlement(studio_access=True, source="trial", trial_ends_at=trial_ends_at)
    return Entitlement(studio_access=False, source=None, trial_ends_at=trial_ends_at)
