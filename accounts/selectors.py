"""Account reads."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

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


def user_addresses_owned(*, user: User) -> set[str]:
    """The addresses ``user`` has shown to be theirs: the log-in e-mail and verified extras
    (not one merely typed in, which may be someone else's)."""
    from allauth.account.models import EmailAddress

    emails = set(
        EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    )
    if user.email:
        emails.add(user.email)
    return emails


def user_address_claims(*, user: User) -> QuerySet[TrialClaim]:
    """The ledger rows of ``user``'s log-in address and of the addresses ``user``'s account
    has used as its own (linked claims), compared as mailboxes (``email_normalise``)."""
    match = Q(profiles__user=user)
    if user.email:
        match |= Q(email_hmac__in=email_digests(user.email))
    return TrialClaim.objects.filter(match)


def user_subscribed_before(*, user: User, before: datetime | None = None) -> bool:
    """Whether an account using one of ``user``'s addresses (``user_address_claims``) has
    had a subscription, and so its free first month — started before ``before`` when
    given. One query."""
    claims = user_address_claims(user=user).filter(subscribed_at__isnull=False)
    if before is not None:
        claims = claims.filter(subscribed_at__lt=before)
    return claims.exists()


def user_email_confirmed(*, user: User) -> bool:
    """Whether the user has confirmed their log-in address (allauth's e-mail confirmation).
    One query."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
