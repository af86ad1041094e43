"""Which request parameters each emulator route implements.

The SDK schema (``schema.py``) says what Stripe *accepts*; this registry says what the
emulator's handler really *does something with*. A parameter Stripe accepts but the route
does not declare is refused with 400 ("The Stripe emulator does not implement the parameter
…") instead of being silently ignored.

Convention
----------
* Key: ``(HTTP method, route regex string exactly as passed to Api._route)``, e.g.
  ``("POST", r"/v1/subscriptions/(?P<id>[^/]+)")``.
* Value: parameter names in Stripe's bracket form, as sent on the wire.
  A name covers everything below it (``"metadata"`` covers ``metadata[plan]``;
  ``"line_items"`` would cover every key of every line item). List indices are written
  ``[]`` (``"line_items[][price]"``); ``"line_items[0][price]"`` is accepted too and means the
  same (any index).
* ``expand`` is implemented on every route; ``limit``/``starting_after``/``ending_before``
  on every list route (``LIST``).
* A route missing from the registry implements only ``expand``.
* The plain ``GET <path>/{id}`` of each collection in ``RETRIEVABLE`` is declared from that
  table (it implements only ``expand``); ``Api`` routes it from the same table.

``implemented_billing.IMPLEMENTED_PARAMS`` (the emu-billing branch's routes) is merged in.
"""

from __future__ import annotations

from .implemented_billing import IMPLEMENTED_PARAMS as _BILLING

ID = r"(?P<id>[^/]+)"
LIST = {"limit", "starting_after", "ending_before"}

# The routes GET <path>/<id> that return the stored object as it is (implementing only
# ``expand``): the path and the store's collection (``Api.retriever``).
RETRIEVABLE = {
    r"/v1/products": "products",
    r"/v1/prices": "prices",
    r"/v1/customers": "customers",
    r"/v1/payment_methods": "payment_methods",
    r"/v1/checkout/sessions": "checkout_sessions",
    r"/v1/subscriptions": "subscriptions",
    r"/v1/invoices": "invoices",
    r"/v1/events": "events",
    r"/v1/test_helpers/test_clocks": "test_clocks",
    r"/v1/invoiceitems": "invoice_items",
    r"/v1/invoice_payments": "invoice_payments",
    r"/v1/payment_intents": "payment_intents",
    r"/v1/charges": "charges",
    r"/v1/refunds": "refunds",
    r"/v1/disputes": "disputes",
    r"/v1/billing_portal/configurations": "portal_configurations",
}

IMPLEMENTED: dict[tuple[str, str], set[str]] = {
    # products
    ("POST", r"/v1/products"): {"id", "name", "description", "active", "metadata"},
    ("GET", r"/v1/products"): LIST | {"active"},
    ("POST", rf"/v1/products/{ID}"): {"name", "description", "active", "metadata"},
    # prices
    ("POST", r"/v1/prices"): {
        "product",
        "product_data[name]",
        "product_data[id]",
        "product_data[active]",
        "product_data[metadata]",
        "unit_amount",
        "currency",
        "recurring[interval]",
        "recurring[interval_count]",
        "lookup_key",
        "transfer_lookup_key",
        "nickname",
        "active",
        "metadata",
    },
    ("GET", r"/v1/prices"): LIST | {"product", "active", "type", "lookup_keys", "currency"},
    ("POST", rf"/v1/prices/{ID}"): {
        "lookup_key",
        "transfer_lookup_key",
        "nickname",
        "active",
        "metadata",
    },
    # customers
    ("POST", r"/v1/customers"): {"email", "name", "description", "metadata", "test_clock"},
    ("GET", r"/v1/customers"): LIST | {"email", "test_clock"},
    ("POST", rf"/v1/customers/{ID}"): {
        "email",
        "name",
        "description",
        "phone",
        "metadata",
        "invoice_settings[default_payment_method]",
    },
    ("DELETE", rf"/v1/customers/{ID}"): set(),
    # payment methods
    ("GET", r"/v1/payment_methods"): LIST | {"customer"},
    # checkout sessions
    ("POST", r"/v1/checkout/sessions"): {
        "mode",
        "success_url",
        "cancel_url",
        "line_items[][price]",
        "line_items[][quantity]",
        "customer",
        "customer_email",
        "client_reference_id",
        "metadata",
        "subscription_data[trial_period_days]",
        "subscription_data[metadata]",
    },
    ("GET", r"/v1/checkout/sessions"): LIST | {"customer", "subscription", "status"},
    ("GET", rf"/v1/checkout/sessions/{ID}/line_items"): set(LIST),
    ("POST", rf"/v1/checkout/sessions/{ID}/expire"): set(),
    # subscriptions
    ("GET", r"/v1/subscriptions"): LIST | {"customer", "status", "price", "test_clock"},
    ("POST", rf"/v1/subscriptions/{ID}"): {
        "metadata",
        "cancel_at_period_end",
        "cancel_at",
        "cancellation_details[comment]",
        "default_payment_method",
    },
    ("DELETE", rf"/v1/subscriptions/{ID}"): {"cancellation_details[comment]"},
    # billing portal
    ("POST", r"/v1/billing_portal/sessions"): {"customer", "return_url"},
    # invoices
    ("GET", r"/v1/invoices"): LIST | {"customer", "subscription", "status"},
    ("GET", rf"/v1/invoices/{ID}/lines"): set(LIST),
    # events
    ("GET", r"/v1/events"): LIST | {"type", "types", "created"},
    # test clocks
    ("POST", r"/v1/test_helpers/test_clocks"): {"frozen_time", "name"},
    ("GET", r"/v1/test_helpers/test_clocks"): set(LIST),
    ("DELETE", rf"/v1/test_helpers/test_clocks/{ID}"): set(),
    ("POST", rf"/v1/test_helpers/test_clocks/{ID}/advance"): {"frozen_time"},
    # webhook endpoints
    ("POST", r"/v1/webhook_endpoints"): {
        "url",
        "enabled_events",
        "api_version",
        "description",
        "metadata",
    },
    ("GET", r"/v1/webhook_endpoints"): set(LIST),
    ("GET", rf"/v1/webhook_endpoints/{ID}"): set(),
    ("POST", rf"/v1/webhook_endpoints/{ID}"): {
        "url",
        "enabled_events",
        "description",
        "metadata",
        "disabled",
    },
    ("DELETE", rf"/v1/webhook_endpoints/{ID}"): set(),
}

for _path in RETRIEVABLE:
    IMPLEMENTED[("GET", f"{_path}/{ID}")] = set()
for _key, _names in _BILLING.items():
    IMPLEMENTED[_key] = IMPLEMENTED.get(_key, set()) | set(_names)


def implemented_for(method: str, route: str) -> set[str]:
    """The declared names of a route, plus ``expand`` (implemented everywhere)."""
    return IMPLEMENTED.get((method, route), set()) | {"expand"}
