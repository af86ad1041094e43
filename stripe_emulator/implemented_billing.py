"""Parameters the billing handlers implement, for strict request validation.

Keyed by (HTTP method, the route regex exactly as passed to ``Api._route``); values are
top-level names and nested ones in Stripe's bracket form without indices
(``items[price]``). Anything else sent to these routes is refused by validation."""

from __future__ import annotations

_ID = r"(?P<id>[^/]+)"
_LIST = {"limit", "starting_after", "ending_before", "expand"}
_RETRIEVE = {"expand"}

_PORTAL_CONFIGURATION = {
    "business_profile",
    "business_profile[headline]",
    "business_profile[privacy_policy_url]",
    "business_profile[terms_of_service_url]",
    "default_return_url",
    "expand",
    "features",
    "features[customer_update]",
    "features[customer_update][enabled]",  # false only; true is refused
    "features[invoice_history]",
    "features[invoice_history][enabled]",
    "features[payment_method_update]",
    "features[payment_method_update][enabled]",
    "features[subscription_cancel]",
    "features[subscription_cancel][enabled]",
    "features[subscription_cancel][mode]",
    "features[subscription_cancel][proration_behavior]",
    "features[subscription_pause]",
    "features[subscription_pause][enabled]",  # false only; true is refused
    "features[subscription_update]",
    "features[subscription_update][default_allowed_updates]",  # "price" only
    "features[subscription_update][enabled]",
    "features[subscription_update][products]",
    "features[subscription_update][products][prices]",
    "features[subscription_update][products][product]",
    "features[subscription_update][proration_behavior]",
    "login_page",
    "login_page[enabled]",
    "metadata",
    "name",
}

IMPLEMENTED_PARAMS: dict[tuple[str, str], set[str]] = {
    # extended: price changes with proration (pause_collection is refused explicitly)
    ("POST", rf"/v1/subscriptions/{_ID}"): {
        "cancel_at",
        "cancel_at_period_end",
        "cancellation_details",
        "cancellation_details[comment]",
        "default_payment_method",
        "expand",
        "items",
        "items[id]",
        "items[price]",
        "items[quantity]",
        "metadata",
        "proration_behavior",
        "proration_date",
    },
    # extended: configuration and flow_data deep links
    ("POST", r"/v1/billing_portal/sessions"): {
        "configuration",
        "customer",
        "expand",
        "flow_data",
        "flow_data[after_completion]",
        "flow_data[after_completion][hosted_confirmation]",
        "flow_data[after_completion][hosted_confirmation][custom_message]",
        "flow_data[after_completion][redirect]",
        "flow_data[after_completion][redirect][return_url]",
        "flow_data[after_completion][type]",
        "flow_data[subscription_update_confirm]",
        "flow_data[subscription_update_confirm][items]",
        "flow_data[subscription_update_confirm][items][id]",
        "flow_data[subscription_update_confirm][items][price]",
        "flow_data[subscription_update_confirm][items][quantity]",
        "flow_data[subscription_update_confirm][subscription]",
        "flow_data[type]",
        "return_url",
    },
    ("POST", r"/v1/invoices/create_preview"): {
        "customer",
        "expand",
        "subscription",
        "subscription_details",
        "subscription_details[items]",
        "subscription_details[items][id]",
        "subscription_details[items][price]",
        "subscription_details[items][quantity]",
        "subscription_details[proration_behavior]",
        "subscription_details[proration_date]",
    },
    ("GET", r"/v1/invoiceitems"): _LIST | {"customer", "invoice", "pending"},
    ("GET", rf"/v1/invoiceitems/{_ID}"): _RETRIEVE,
    ("GET", r"/v1/invoice_payments"): _LIST | {"invoice", "payment", "payment[payment_intent]"},
    ("GET", rf"/v1/invoice_payments/{_ID}"): _RETRIEVE,
    ("GET", r"/v1/payment_intents"): _LIST | {"customer"},
    ("GET", rf"/v1/payment_intents/{_ID}"): _RETRIEVE,
    ("GET", r"/v1/charges"): _LIST | {"customer", "payment_intent"},
    ("GET", rf"/v1/charges/{_ID}"): _RETRIEVE,
    ("POST", r"/v1/refunds"): {
        "amount",
        "charge",
        "expand",
        "metadata",
        "payment_intent",
        "reason",
    },
    ("GET", r"/v1/refunds"): _LIST | {"charge", "payment_intent"},
    ("GET", rf"/v1/refunds/{_ID}"): _RETRIEVE,
    ("GET", r"/v1/disputes"): _LIST | {"charge", "payment_intent"},
    ("GET", rf"/v1/disputes/{_ID}"): _RETRIEVE,
    ("POST", rf"/v1/disputes/{_ID}/close"): {"expand"},
    ("POST", r"/v1/billing_portal/configurations"): set(_PORTAL_CONFIGURATION),
    ("GET", r"/v1/billing_portal/configurations"): _LIST | {"active", "is_default"},
    ("GET", rf"/v1/billing_portal/configurations/{_ID}"): _RETRIEVE,
    ("POST", rf"/v1/billing_portal/configurations/{_ID}"): _PORTAL_CONFIGURATION | {"active"},
}
