"""The one module that talks to Stripe: keys, API base, timeouts, retries, idempotency keys.

Settings are read at call time, so tests (and the dev emulator) can point the SDK anywhere by
changing ``settings.STRIPE_API_BASE``. Every other module calls the functions below.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings

import stripe

# Webhook verification lives in stripe_webhook.py; its names stay importable from here.
from .stripe_webhook import API_VERSION as API_VERSION
from .stripe_webhook import WEBHOOK_MAX_BYTES as WEBHOOK_MAX_BYTES
from .stripe_webhook import WEBHOOK_TOLERANCE_SECONDS as WEBHOOK_TOLERANCE_SECONDS
from .stripe_webhook import WebhookRefused as WebhookRefused
from .stripe_webhook import stripe_key_is_live as stripe_key_is_live
from .stripe_webhook import webhook_event_verify as webhook_event_verify

if TYPE_CHECKING:
    from stripe import RequestOptions
    from stripe.params import (
        ProductCreateParams,
        ProductUpdateParams,
        WebhookEndpointCreateParams,
        WebhookEndpointUpdateParams,
    )
    from stripe.params.billing_portal import (
        ConfigurationCreateParams,
        ConfigurationUpdateParams,
    )
    from stripe.params.billing_portal import SessionCreateParams as PortalSessionCreateParams
    from stripe.params.checkout import SessionCreateParams

StripeError = stripe.StripeError
InvalidRequestError = stripe.InvalidRequestError


@lru_cache(maxsize=8)
def _client(
    secret_key: str, api_base: str | None, timeout: int, retries: int
) -> stripe.StripeClient:
    return stripe.StripeClient(
        secret_key,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def client() -> stripe.StripeClient:
    """A configured ``StripeClient`` for the current settings."""
    return _client(
        settings.STRIPE_SECRET_KEY or "",
        settings.STRIPE_API_BASE or None,
        settings.STRIPE_TIMEOUT_SECONDS,
        settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def idempotency_key(*parts: object) -> str:
    """A stable key for one logical write (same parts → same key → Stripe replays)."""
    raw = ":".join(str(part) for part in parts)
    return "mk-" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def _opts(key: str | None) -> RequestOptions:
    return {"idempotency_key": key} if key else {}


# -- products and prices ----------------------------------------------------------------


def product_create(
    *, name: str, description: str, metadata: dict[str, str], key: str
) -> stripe.Product:
    params: ProductCreateParams = {"name": name, "metadata": metadata}
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
    metadata: dict[str, str],
    key: str,
) -> stripe.Price:
    return client().v1.prices.create(
        params={
            "product": product_id,
            "unit_amount": amount,
            "currency": currency,
            "recurring": {"interval": cast("Any", interval)},
            "lookup_key": lookup_key,
            "transfer_lookup_key": True,
            "metadata": metadata,
        },
        options=_opts(key),
    )


def price_retrieve(price_id: str) -> stripe.Price:
    return client().v1.prices.retrieve(price_id)


# -- customers ---------------------------------------------------------------------------


def customer_create(
    *, email: str, name: str, metadata: dict[str, str], key: str
) -> stripe.Customer:
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


def checkout_session_create(*, params: Mapping[str, Any], key: str) -> stripe.checkout.Session:
    return client().v1.checkout.sessions.create(
        params=cast("SessionCreateParams", params), options=_opts(key)
    )


def checkout_session_retrieve(session_id: str) -> stripe.checkout.Session:
    return client().v1.checkout.sessions.retrieve(session_id)


def checkout_sessions_open(*, customer_id: str) -> list[stripe.checkout.Session]:
    """The customer's Checkout Sessions that can still be paid."""
    page = client().v1.checkout.sessions.list(
        params={"customer": customer_id, "status": "open", "limit": 100}
    )
    return list(page.auto_paging_iter())


def checkout_session_expire(session_id: str) -> stripe.checkout.Session:
    return client().v1.checkout.sessions.expire(session_id)


def portal_session_create(
    *,
    customer_id: str,
    return_url: str,
    configuration: str | None = None,
    flow: str | None = None,
) -> stripe.billing_portal.Session:
    params: dict[str, Any] = {"customer": customer_id, "return_url": return_url}
    if configuration:
        params["configuration"] = configuration  # the hub's own (stripe_setup), not the default
    if flow:
        # A deep link into one task of the portal, e.g. "payment_method_update".
        params["flow_data"] = {"type": flow}
    return client().v1.billing_portal.sessions.create(
        params=cast("PortalSessionCreateParams", params)
    )


# -- subscriptions -----------------------------------------------------------------------


def subscription_retrieve(
    subscription_id: str, *, expand: list[str] | None = None
) -> stripe.Subscription:
    return client().v1.subscriptions.retrieve(
        subscription_id, params={"expand": expand} if expand else None
    )


def subscriptions_list(*, customer_id: str, status: str = "all") -> list[stripe.Subscription]:
    """Every subscription of a customer (auto-paginated)."""
    page = client().v1.subscriptions.list(
        params={"customer": customer_id, "status": cast("Any", status), "limit": 100}
    )
    return list(page.auto_paging_iter())


def subscription_cancel(
    subscription_id: str, *, key: str, comment: str | None = None
) -> stripe.Subscription:
    return client().v1.subscriptions.cancel(
        subscription_id,
        params={"cancellation_details": {"comment": comment}} if comment else None,
        options=_opts(key),
    )


def subscription_price_change(
    *, subscription_id: str, item_id: str, price_id: str, proration_behavior: str, key: str
) -> stripe.Subscription:
    """Move the subscription's one item to ``price_id`` (``billing.plan_change``)."""
    return client().v1.subscriptions.update(
        subscription_id,
        params={
            "items": [{"id": item_id, "price": price_id, "quantity": 1}],
            "proration_behavior": proration_behavior,
        },
        options=_opts(key),
    )


def invoice_preview(
    *, customer_id: str, subscription_id: str, item_id: str, price_id: str, proration_behavior: str
) -> stripe.Invoice:
    """Stripe's preview of the invoice a price change would produce (nothing is changed)."""
    return client().v1.invoices.create_preview(
        params={
            "customer": customer_id,
            "subscription": subscription_id,
            "subscription_details": {
                "items": [{"id": item_id, "price": price_id, "quantity": 1}],
                "proration_behavior": proration_behavior,
            },
        }
    )


def is_missing(exc: Exception) -> bool:
    """True when Stripe says the object does not exist (404 ``resource_missing``)."""
    return isinstance(exc, stripe.InvalidRequestError) and (
        getattr(exc, "http_status", None) == 404 or getattr(exc, "code", "") == "resource_missing"
    )


# -- account set-up (stripe_setup), refunds, disputes, invoices -------------------------------


def product_retrieve(product_id: str) -> stripe.Product:
    return client().v1.products.retrieve(product_id)


def product_update(product_id: str, *, params: Mapping[str, Any]) -> stripe.Product:
    return client().v1.products.update(product_id, params=cast("ProductUpdateParams", params))


def prices_by_lookup_key(lookup_key: str) -> list[stripe.Price]:
    """Active prices carrying ``lookup_key`` (at most one, Stripe keeps them unique)."""
    return list(client().v1.prices.list(params={"lookup_keys": [lookup_key], "active": True}).data)


def price_archive(price_id: str) -> stripe.Price:
    return client().v1.prices.update(price_id, params={"active": False})


def portal_configurations_list() -> list[stripe.billing_portal.Configuration]:
    page = client().v1.billing_portal.configurations.list(params={"active": True, "limit": 100})
    return list(page.auto_paging_iter())


def portal_configuration_create(
    *, params: Mapping[str, Any], key: str | None
) -> stripe.billing_portal.Configuration:
    return client().v1.billing_portal.configurations.create(
        params=cast("ConfigurationCreateParams", params), options=_opts(key)
    )


def portal_configuration_update(
    configuration_id: str, *, params: Mapping[str, Any]
) -> stripe.billing_portal.Configuration:
    return client().v1.billing_portal.configurations.update(
        configuration_id, params=cast("ConfigurationUpdateParams", params)
    )


def webhook_endpoints_list() -> list[stripe.WebhookEndpoint]:
    page = client().v1.webhook_endpoints.list(params={"limit": 100})
    return list(page.auto_paging_iter())


def webhook_endpoint_create(*, params: Mapping[str, Any]) -> stripe.WebhookEndpoint:
    return client().v1.webhook_endpoints.create(params=cast("WebhookEndpointCreateParams", params))


def webhook_endpoint_update(
    endpoint_id: str, *, params: Mapping[str, Any]
) -> stripe.WebhookEndpoint:
    return client().v1.webhook_endpoints.update(
        endpoint_id, params=cast("WebhookEndpointUpdateParams", params)
    )


def webhook_endpoint_delete(endpoint_id: str) -> stripe.WebhookEndpoint:
    return client().v1.webhook_endpoints.delete(endpoint_id)


def charge_retrieve(charge_id: str) -> stripe.Charge:
    return client().v1.charges.retrieve(charge_id)


def dispute_retrieve(dispute_id: str) -> stripe.Dispute:
    return client().v1.disputes.retrieve(dispute_id)


def invoice_retrieve(invoice_id: str) -> stripe.Invoice:
    return client().v1.invoices.retrieve(invoice_id)


def invoice_id_for_payment_intent(payment_intent_id: str) -> str | None:
    """The invoice a PaymentIntent paid (API 2026-10-28: through ``invoice_payments``)."""
    page = client().v1.invoice_payments.list(
        params={
            "payment": {"type": "payment_intent", "payment_intent": payment_intent_id},
            "limit": 1,
        }
    )
    if not page.data:
        return None
    invoice: Any = page.data[0].invoice  # an id (the SDK types it as possibly expanded)
    return invoice if invoice is None or isinstance(invoice, str) else invoice.id
