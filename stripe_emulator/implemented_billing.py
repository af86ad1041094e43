"""Parameters implemented by the billing routes of the emu-billing branch (portal
configurations, subscription items / proration, invoice preview, 3-D Secure payments,
refunds, disputes). Merged into ``implemented.IMPLEMENTED``.

Same convention as ``implemented.py``: key ``(HTTP method, route regex string exactly as
passed to Api._route)``; values in Stripe's bracket form, a name covering everything below it,
``[]`` standing for every list index. Only leaves the handlers really act on are declared (no
container names such as ``features`` or ``items``, which would cover keys the handlers do not
implement); ``expand`` and, on list routes, ``limit``/``starting_after``/``ending_before`` are
implicit.

A few declared names accept only part of Stripe's values and the handler refuses the rest with
400 ``parameter_not_implemented`` (noted inline). ``pause_collection`` is deliberately not
declared on ``POST /v1/subscriptions/{id}``: it is refused.
"""

from __future__ import annotations

_ID = r"(?P<id>[^/]+)"
_LIST = {"limit", "starting_after", "ending_before"}

_ITEM_CHANGE = ("[][id]", "[][price]", "[][quantity]")  # exactly one item, by its id

_PORTAL_CONFIGURATION = {
    "business_profile[headline]",
    "business_profile[privacy_policy_url]",
    "business_profile[terms_of_service_url]",
    "default_return_url",
    "features[customer_update][enabled]",  # false only; true is refused
    "features[invoice_history][enabled]",
    "features[payment_method_update][enabled]",
    "features[subscription_cancel][enabled]",
    "features[subscription_cancel][mode]",
    "features[subscription_cancel][proration_behavior]",
    "features[subscription_pause][enabled]",  # false only; true is refused
    "features[subscription_update][default_allowed_updates]",  # "price" only
    "features[subscription_update][enabled]",
    "features[subscription_update][products][][prices]",
    "features[subscription_update][products][][product]",
    "features[subscription_update][proration_behavior]",
    "login_page[enabled]",
    "metadata",
    "name",
}

IMPLEMENTED_PARAMS: dict[tuple[str, str], set[str]] = {
    # price changes with proration (pause_collection is refused)
    ("POST", rf"/v1/subscriptions/{_ID}"): {
        "cancel_at",
        "cancel_at_period_end",
        "cancellation_details[comment]",
        "default_payment_method",
        *(f"items{leaf}" for leaf in _ITEM_CHANGE),
        "metadata",
        "proration_behavior",
        "proration_date",
    },
    # configuration and flow_data deep links
    ("POST", r"/v1/billing_portal/sessions"): {
        "configuration",
        "customer",
        "flow_data[after_completion][hosted_confirmation][custom_message]",
        "flow_data[after_completion][redirect][return_url]",
        "flow_data[after_completion][type]",
        *(f"flow_data[subscription_update_confirm][items]{leaf}" for leaf in _ITEM_CHANGE),
        "flow_data[subscription_update_confirm][subscription]",
        # payment_method_update and subscription_update_confirm only; the others are refused
        "flow_data[type]",
        "return_url",
    },
    ("POST", r"/v1/invoices/create_preview"): {
        "customer",
        "subscription",
        *(f"subscription_details[items]{leaf}" for leaf in _ITEM_CHANGE),
        "subscription_details[proration_behavior]",
        "subscription_details[proration_date]",
    },
    ("GET", r"/v1/invoiceitems"): _LIST | {"customer", "invoice", "pending"},
    # payment[type]: payment_intent only; payment_record is refused
    ("GET", r"/v1/invoice_payments"): _LIST
    | {"invoice", "payment[type]", "payment[payment_intent]"},
    ("GET", r"/v1/payment_intents"): _LIST | {"customer"},
    ("GET", r"/v1/charges"): _LIST | {"customer", "payment_intent"},
    ("POST", r"/v1/refunds"): {"amount", "charge", "metadata", "payment_intent", "reason"},
    ("GET", r"/v1/refunds"): _LIST | {"charge", "payment_intent"},
    ("GET", r"/v1/disputes"): _LIST | {"charge", "payment_intent"},
    ("POST", rf"/v1/disputes/{_ID}/close"): set(),
    ("POST", r"/v1/billing_portal/configurations"): set(_PORTAL_CONFIGURATION),
    ("GET", r"/v1/billing_portal/configurations"): _LIST | {"active", "is_default"},
    ("POST", rf"/v1/billing_portal/configurations/{_ID}"): _PORTAL_CONFIGURATION | {"active"},
}
