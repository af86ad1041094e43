"""Signals accounts sends, so the apps above it can act without accounts importing them."""

from django.dispatch import Signal

# Sent by ``services.account_delete`` with ``profile``, inside its transaction and before
# anything is deleted (billing cancels the subscriptions and records that the addresses
# have subscribed). Sent with ``send``, not ``send_robust``: a receiver's exception stops
# the deletion and rolls everything back.
account_deleting = Signal()

# Sent by ``services.profile_email_added`` with ``profile`` and ``email`` once an address is
# known to be the account's (billing records it as subscribed if the account has subscribed).
address_verified = Signal()


class AccountDeletionBlocked(Exception):
    """Something that must happen before an account goes could not (Stripe is unreachable,
    so its subscriptions cannot be cancelled); nothing was deleted."""
