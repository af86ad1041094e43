"""Account reads."""

from datetime import datetime, timedelta

from django.conf import settings

from .models import Profile, User


def profile_for_user(*, user: User) -> Profile | None:
    """The user's business profile (with its logo), or None (e.g. a bare superuser)."""
    if not user.is_authenticated:
        return None
    return Profile.objects.select_related("user", "logo").filter(user=user).first()


def profile_trial_ends_at(*, profile: Profile) -> datetime:
    return profile.trial_started_at + timedelta(days=settings.HUB_TRIAL_DAYS)
