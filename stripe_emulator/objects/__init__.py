"""Builders for Stripe object shapes (API version of the pinned SDK), one module a group of
resources; every builder is importable from here (``objects.invoice(...)``)."""

from __future__ import annotations

from .catalog import customer, payment_method, plan_from_price, price, product
from .common import (
    API_VERSION,
    INTERVAL_SECONDS,
    add_interval,
    event,
    list_object,
    money,
    public,
    short_date,
)
from .invoices import invoice, invoice_item, invoice_line, invoice_payment
from .payments import charge, dispute, payment_intent, refund
from .sessions import (
    checkout_line_item,
    checkout_session,
    portal_configuration,
    portal_session,
    test_clock,
)
from .subscriptions import subscription, subscription_item

__all__ = [
    "API_VERSION",
    "INTERVAL_SECONDS",
    "add_interval",
    "charge",
    "checkout_line_item",
    "checkout_session",
    "customer",
    "dispute",
    "event",
    "invoice",
    "invoice_item",
    "invoice_line",
    "invoice_payment",
    "list_object",
    "money",
    "payment_intent",
    "payment_method",
    "plan_from_price",
    "portal_configuration",
    "portal_session",
    "price",
    "product",
    "public",
    "refund",
    "short_date",
    "subscription",
    "subscription_item",
    "test_clock",
]
