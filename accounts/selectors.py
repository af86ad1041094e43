"""Account reads."""

from datetime import datetime, timedelta

from django.conf import settings

from .models import Profile, TrialClaim, User, email_digest


def profile_for_user(*, user: User) -> Profile | None:
    """The user's business profile (with its logo), or None (e.g. a bare superuser)."""
    if not user.is_authenticated:
        return None
    return Profile.objects.select_related("user", "logo").filter(user=user).first()


def profile_trial_ends_at(*, profile: Profile) -> datetime:
    return profile.trial_started_at + timedelta(days=settings.HUB_TRIAL_DAYS)


def user_emails(*, user: User) -> set[str]:
    """Every address on the account: the login e-mail and allauth's extra addresses."""
    from allauth.account.models import EmailAddress

    emails = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    if user.email:
        emails.add(user.email)
    return emails


def user_subscribed_before(*, user: User) -> bool:
    """Whether a deleted account that used one of ``user``'s addresses had a subscription."""
    digests = [email_digest(email) for email in user_emails(user=user)]
    return TrialClaim.objects.filter(email_sha256__in=digests, has_subscribed=True).exists()
