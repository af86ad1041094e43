"""Account reads."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from .models import Profile, TrialClaim, User, email_digests


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


def user_subscribed_before(*, user: User, before: datetime | None = None) -> bool:
    """Whether an account using one of ``user``'s addresses (or one ``user``'s account has
    used before) has had a subscription, and so its free first month — started before
    ``before`` when given. Addresses are compared as mailboxes (``email_normalise``)."""
    digests = set().union(*(email_digests(email) for email in user_emails(user=user)))
    claims = TrialClaim.objects.filter(
        Q(email_hmac__in=digests) | Q(profiles__user=user), subscribed_at__isnull=False
    )
    if before is not None:
        claims = claims.filter(subscribed_at__lt=before)
    return claims.exists()
