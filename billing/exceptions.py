"""Billing's exceptions, for the layers that call billing."""


class BillingUnavailable(Exception):
    """Stripe could not be reached or refused the request; nothing was changed."""
