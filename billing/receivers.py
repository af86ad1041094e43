"""Billing's receivers for signals the apps below it send (connected in ``BillingConfig.ready``)."""

from accounts.events import AccountDeletionBlocked
from accounts.models import Profile
from accounts.services import profile_addresses_mark_subscribed, trial_claim_record

from .exceptions import BillingUnavailable
from .selectors import profile_first_subscribed_at
from .services import profile_subscriptions_cancel


def account_deleting_cancel_subscriptions(
    sender: object, *, profile: Profile, **kwargs: object
) -> None:
    """Before an account goes: cancel its live subscriptions at once, so nobody is charged
    for an account that no longer exists, and remember in the trial ledger that its
    addresses have subscribed (no second free month for a new account with one of them)."""
    try:
        profile_subscriptions_cancel(profile=profile)
    except BillingUnavailable as exc:
        raise AccountDeletionBlocked(str(exc)) from exc
    subscribed_at = profile_first_subscribed_at(profile=profile)
    if subscribed_at is not None:
        profile_addresses_mark_subscribed(profile=profile, subscribed_at=subscribed_at)


def address_verified_mark_subscribed(
    sender: object, *, profile: Profile, email: str, **kwargs: object
) -> None:
    """A verified address on an account that has subscribed has had its free month too."""
    subscribed_at = profile_first_subscribed_at(profile=profile)
    if subscribed_at is not None:
        trial_claim_record(
            email=email,
            trial_started_at=profile.trial_started_at,
            profile=profile,
            subscribed_at=subscribed_at,
        )
