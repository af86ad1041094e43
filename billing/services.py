"""Billing writes: everything that changes subscriptions or talks to Stripe goes through here."""

from accounts.models import Profile


def profile_subscriptions_cancel(*, profile: Profile) -> None:
    """Cancel every live Stripe subscription of ``profile`` (before its account is deleted).

    Subscriptions are not modelled yet, so there is nothing to cancel.
    """
