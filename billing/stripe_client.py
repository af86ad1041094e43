"""The one module that talks to Stripe: keys, API base, timeouts, retries, idempotency keys.

Settings are read at call time, so tests (and the dev emulator) can point the SDK anywhere by
changing ``settings.STRIPE_API_BASE``. Every other module calls the functions below.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings

import stripe

StripeError = stripe.StripeError
InvalidRequestError = stripe.InvalidRequestError


@lru_cache(maxsize=8)
def _client(secret_key: str, api_base: str | None, timeout: int, retries: int):
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def client() -> stripe.StripeClient:
    """A configured ``StripeClient`` for the current settings."""
    return _client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE or None,
        settings.STRIPE_TIMEOUT_SECONDS,
        settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def idempotency_key(*parts) -> str:
    """A stable key for one logical write (same parts → same key → Stripe replays)."""
    raw = ":".join(str(part) for part in parts)
    return "mk-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _opts(key: str | None) -> dict:
    return {"idempotency_key": key} if key else {}


# -- products and prices ----------------------------------------------------------------


def product_create(*, name: str, description: str, metadata: dict, key: str):
    params = {"name": name, "metadata": metadata}
    if description:
        params["description"] = description
    return client().v1.products.create(params=params, options=_opts(key))


def price_create(
    *,
    product_id: str,
    amount: int,
    currency: str,
    interval: str,
    lookup_key: str,
    metadata: dict,
    key: str,
):
    return client().v1.prices.create(
        params={
            "product": product_id,
            "unit_amount": amount,
            "currency": currency,
            "recurring": {"interval": interval},
            "lookup_key": lookup_key,
            "transfer_lookup_key": True,
            "metadata": metadata,
        },
        options=_opts(key),
    )


def price_retrieve(price_id: str):
    return client().v1.prices.retrieve(price_id)


# -- customers ---------------------------------------------------------------------------


def customer_create(*, email: str, name: str, metadata: dict, key: str):
    return client().v1.customers.create(
        params={"email": email, "name": name, "metadata": metadata}, options=_opts(key)
    )


def customer_exists(customer_id: str) -> bool:
    """False when Stripe has no such customer, or only a deleted one."""
    try:
        customer = client().v1.customers.retrieve(customer_id)
    except stripe.InvalidRequestError as exc:
        if is_missing(exc):
            return False
        raise
    return not getattr(customer, "deleted", False)


# -- checkout and portal -----------------------------------------------------------------


def checkout_session_create(*, params: dict, key: str):
    return client().v1.checkout.sessions.create(params=params, options=_opts(key))


def checkout_session_retrieve(session_id: str):
    return client().v1.checkout.sessions.retrieve(session_id)


def checkout_sessions_open(*, customer_id: str) -> list:
    """The customer's Checkout Sessions that can still be paid."""
    page = client().v1.checkout.sessions.list(
        params={"customer": customer_id, "status": "open", "limit": 100}
    )
    return list(page.auto_paging_iter())


def checkout_session_expire(session_id: str):
    return client().v1.checkout.sessions.expire(session_id)


def portal_session_create(*, customer_id: str, return_url: str):
    return client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url}
    )


# -- subscriptions -----------------------------------------------------------------------


def subscription_retrieve(subscription_id: str, *, expand: list[str] | None = None):
    params = {"expand": expand} if expand else None
    return client().v1.subscriptions.retrieve(subscription_id, params=params)


def subscriptions_list(*, customer_id: str, status: str = "all"):
    """Every subscription of a customer (auto-paginated)."""
    page = client().v1.subscriptions.list(
        params={"customer": customer_id, "status": status, "limit": 100}
    )
    return list(page.auto_paging_iter())


def subscription_cancel(subscription_id: str, *, key: str, comment: str | None = None):
    params = {"cancellation_details": {"comment": comment}} if comment else None
    return client().v1.subscriptions.cancel(subscription_id, params=params, options=_opts(key))


# -- webhooks ----------------------------------------------------------------------------


def webhook_event_construct(*, payload: bytes, signature: str | None):
    """Verify ``Stripe-Signature`` (default 300 s tolerance) and parse the event.

    Raises ``ValueError`` for a bad payload and ``stripe.SignatureVerificationError`` for a
    bad, missing or stale signature.
    """
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)


def is_missing(exc: Exception) -> bool:
    """True when Stripe says the object does not exist (404 ``resource_missing``)."""
    return isinstance(exc, stripe.InvalidRequestError) and (
        getattr(exc, "http_status", None) == 404 or getattr(exc, "code", "") == "resource_missing"
    )
