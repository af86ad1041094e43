"""Stripe endpoints for billing changes: plan switches with proration, invoice previews,
payments (payment intents, charges, invoice payments), refunds, disputes and customer portal
configurations. Mixed into :class:`stripe_emulator.api.Api`, which registers the routes."""

from __future__ import annotations

import copy

from . import objects
from .params import ParamError, get_bool, get_dict, get_int, get_list, get_str, merge_metadata

PRORATION_BEHAVIORS = ("create_prorations", "none", "always_invoice")
CANCEL_MODES = ("at_period_end", "immediately")
CANCEL_PRORATIONS = ("none", "create_prorations")
REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")
FLOW_TYPES = ("payment_method_update", "subscription_update_confirm")
NO_DEFAULT_PORTAL_CONFIGURATION = (
    "You can't create a portal session in test mode until you save your customer portal "
    "settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal."
)


def not_implemented(param: str) -> ParamError:
    """A value Stripe accepts that the handler would not act on (the same refusal as
    ``schema.validate`` gives an undeclared parameter)."""
    return ParamError(
        f"The emulator does not implement the parameter {param}; Stripe accepts it, but using "
        "it here would silently do nothing, so it is refused.",
        param.split("=", 1)[0],
        "parameter_not_implemented",
    )


def _choice(params: dict, name: str, choices, label: str, default=None):
    value = get_str(params, name)
    if value is None:
        return default
    if value not in choices:
        raise ParamError(
            f"Invalid {label}: must be one of {', '.join(choices)}", label, "parameter_invalid"
        )
    return value


class BillingApi:
    """Handlers; ``self`` is the Api (store, billing, get, paginate, _customer_now)."""

    # -- subscriptions: price changes -------------------------------------------------

    def _sub_price_change(self, sub: dict, params: dict, now: int) -> None:
        """``items`` + ``proration_behavior`` (+ ``proration_date``) of Subscription.modify."""
        behavior = _choice(params, "proration_behavior", PRORATION_BEHAVIORS, "proration_behavior")
        proration_date = get_int(params, "proration_date")
        raw_items = get_list(params, "items")
        if not raw_items:
            if behavior or proration_date is not None:
                return  # nothing to prorate: Stripe accepts and does nothing
            return
        change = self._item_change(sub, raw_items, "items")
        if sub["status"] not in ("active", "trialing", "past_due"):
            raise ParamError(
                f"The subscription's items cannot be changed while it is {sub['status']}.",
                "items",
            )
        item, price, quantity = change
        if proration_date is not None:
            start, end = item["current_period_start"], item["current_period_end"]
            if not start <= proration_date <= end:
                raise ParamError(
                    "proration_date must be within the current billing period.", "proration_date"
                )
        customer = self.store.customers[sub["customer"]]
        self.billing.change_price(
            sub,
            customer,
            item,
            price,
            quantity,
            behavior or "create_prorations",
            now,
            proration_date,
        )

    def _item_change(self, sub: dict, raw_items: list, prefix: str):
        """(item, new price, quantity) from ``items[0][id|price|quantity]``."""
        if len(raw_items) != 1 or not isinstance(raw_items[0], dict):
            raise ParamError(
                "The emulator changes one subscription item per request: pass exactly one "
                f"{prefix}[0] with its id.",
                prefix,
            )
        raw = raw_items[0]
        for key in raw:
            if key not in ("id", "price", "quantity"):
                raise not_implemented(f"{prefix}[0][{key}]")
        item_id = get_str(raw, "id")
        if not item_id:
            raise ParamError(
                "The emulator does not add items to a subscription: pass "
                f"{prefix}[0][id] (the existing subscription item) with the new price.",
                f"{prefix}[0][id]",
                "parameter_missing",
            )
        item = next((i for i in sub["items"]["data"] if i["id"] == item_id), None)
        if item is None:
            raise ParamError(
                f"No such subscription item: '{item_id}'",
                f"{prefix}[0][id]",
                "resource_missing",
            )
        price_id = get_str(raw, "price")
        price = (
            self.get("prices", price_id, f"{prefix}[0][price]")
            if price_id
            else self.store.prices.get(item["price"]["id"], item["price"])
        )
        if price["type"] != "recurring":
            raise ParamError("The price specified is not a recurring price.", f"{prefix}[0][price]")
        if not price["active"]:
            raise ParamError(
                f"The price specified is inactive. This field only accepts active prices. "
                f"({price['id']})",
                f"{prefix}[0][price]",
            )
        if price["currency"] != item["price"]["currency"]:
            raise ParamError(
                "The price specified has a different currency from the subscription.",
                f"{prefix}[0][price]",
            )
        quantity = get_int(raw, "quantity", default=item["quantity"])
        if quantity < 1:
            raise ParamError("Quantity must be at least 1.", f"{prefix}[0][quantity]")
        return item, price, quantity

    # -- invoices: preview ------------------------------------------------------------

    def invoice_create_preview(self, params):
        sub_id = get_str(params, "subscription")
        customer_id = get_str(params, "customer")
        details = get_dict(params, "subscription_details") or {}
        for key in details:
            if key not in ("items", "proration_behavior", "proration_date"):
                raise not_implemented(f"subscription_details[{key}]")
        if sub_id:
            sub = self.get("subscriptions", sub_id, "subscription")
            if customer_id and customer_id != sub["customer"]:
                raise ParamError(
                    "The subscription does not belong to this customer.", "subscription"
                )
        elif customer_id:
            self.get("customers", customer_id, "customer")
            if details.get("items"):
                raise not_implemented("subscription_details[items] without subscription")
            live = [
                s
                for s in self.store.subscriptions.values()
                if s["customer"] == customer_id and s["status"] in ("active", "trialing")
            ]
            if not live:
                raise StripeInvalid("No upcoming invoices for customer: " + customer_id)
            sub = live[-1]
        else:
            raise ParamError(
                "Missing required param: customer or subscription.",
                "customer",
                "parameter_missing",
            )
        if sub["status"] in ("canceled", "incomplete_expired"):
            raise StripeInvalid(f"No upcoming invoices for subscription: {sub['id']}")
        behavior = _choice(
            details,
            "proration_behavior",
            PRORATION_BEHAVIORS,
            "subscription_details[proration_behavior]",
            "create_prorations",
        )
        proration_date = get_int(details, "proration_date")
        raw_items = get_list(details, "items")
        change = (
            self._item_change(sub, raw_items, "subscription_details[items]") if raw_items else None
        )
        if proration_date is not None:
            if change is None:
                raise ParamError(
                    "subscription_details[proration_date] requires subscription_details[items].",
                    "subscription_details[proration_date]",
                )
            item = change[0]
            if not item["current_period_start"] <= proration_date <= item["current_period_end"]:
                raise ParamError(
                    "proration_date must be within the current billing period.",
                    "subscription_details[proration_date]",
                )
        customer = self.store.customers[sub["customer"]]
        now = self._customer_now(customer["id"])
        return self.billing.preview_invoice(sub, customer, change, behavior, now, proration_date)

    # -- invoice items, invoice payments, payment intents, charges ------------------------

    def _filtered_list(self, collection: str, params: dict, url: str, filters: tuple) -> dict:
        items = list(getattr(self.store, collection).values())
        for key in filters:
            value = get_str(params, key)
            if value:
                items = [o for o in items if o.get(key) == value]
        return self.paginate(items, params, url)

    def invoiceitem_list(self, params):
        items = list(self.store.invoice_items.values())
        if get_str(params, "customer"):
            items = [i for i in items if i["customer"] == params["customer"]]
        if get_str(params, "invoice"):
            items = [i for i in items if i["invoice"] == params["invoice"]]
        pending = get_bool(params, "pending")
        if pending is not None:
            items = [i for i in items if (i["invoice"] is None) == pending]
        return self.paginate(items, params, "/v1/invoiceitems")

    def invoiceitem_retrieve(self, params, id):
        return self.get("invoice_items", id)

    def invoice_payment_list(self, params):
        items = list(self.store.invoice_payments.values())
        if get_str(params, "invoice"):
            items = [p for p in items if p["invoice"] == params["invoice"]]
        payment = get_dict(params, "payment") or {}
        if payment and get_str(payment, "type") != "payment_intent":
            raise not_implemented(f"payment[type]={get_str(payment, 'type')}")
        if get_str(payment, "payment_intent"):
            items = [
                p for p in items if p["payment"]["payment_intent"] == payment["payment_intent"]
            ]
        return self.paginate(items, params, "/v1/invoice_payments")

    def invoice_payment_retrieve(self, params, id):
        return self.get("invoice_payments", id)

    def payment_intent_list(self, params):
        return self._filtered_list("payment_intents", params, "/v1/payment_intents", ("customer",))

    def payment_intent_retrieve(self, params, id):
        return self.get("payment_intents", id)

    def charge_list(self, params):
        return self._filtered_list("charges", params, "/v1/charges", ("customer", "payment_intent"))

    def charge_retrieve(self, params, id):
        return self.get("charges", id)

    # -- refunds and disputes ------------------------------------------------------------

    def _charge_for(self, params: dict) -> dict:
        charge_id = get_str(params, "charge")
        pi_id = get_str(params, "payment_intent")
        if charge_id and pi_id:
            raise ParamError(
                "You may only specify one of these parameters: charge, payment_intent.",
                "payment_intent",
            )
        if charge_id:
            return self.get("charges", charge_id, "charge")
        if pi_id:
            pi = self.get("payment_intents", pi_id, "payment_intent")
            ch = self.store.charges.get(pi.get("latest_charge") or "")
            if ch is None or pi["status"] != "succeeded":
                raise StripeInvalid(
                    f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                    "payment_intent",
                )
            return ch
        raise ParamError(
            "Missing required param: charge or payment_intent.", "charge", "parameter_missing"
        )

    def refund_create(self, params):
        ch = self._charge_for(params)
        amount = get_int(params, "amount")
        reason = _choice(params, "reason", REFUND_REASONS, "reason")
        metadata = merge_metadata({}, get_dict(params, "metadata"))
        return self.billing.refund_charge(
            ch, amount, reason, metadata, self._customer_now(ch["customer"])
        )

    def refund_list(self, params):
        return self._filtered_list("refunds", params, "/v1/refunds", ("charge", "payment_intent"))

    def refund_retrieve(self, params, id):
        return self.get("refunds", id)

    def dispute_list(self, params):
        return self._filtered_list("disputes", params, "/v1/disputes", ("charge", "payment_intent"))

    def dispute_retrieve(self, params, id):
        return self.get("disputes", id)

    def dispute_close(self, params, id):
        """The merchant accepts the dispute: it is lost."""
        dp = self.get("disputes", id)
        ch = self.store.charges[dp["charge"]]
        return self.billing.close_dispute(dp, "lost", self._customer_now(ch["customer"]))

    # -- customer portal configurations -------------------------------------------------

    def _apply_portal_configuration(self, conf: dict, params: dict) -> None:
        for key in params:
            if key not in (
                "business_profile",
                "default_return_url",
                "features",
                "login_page",
                "metadata",
                "name",
                "active",
                "expand",
            ):
                raise not_implemented(key)
        profile = get_dict(params, "business_profile") or {}
        for key in ("headline", "privacy_policy_url", "terms_of_service_url"):
            if key in profile:
                conf["business_profile"][key] = get_str(profile, key) or None
        for key in profile:
            if key not in conf["business_profile"]:
                raise not_implemented(f"business_profile[{key}]")
        if "default_return_url" in params:
            conf["default_return_url"] = get_str(params, "default_return_url") or None
        if "name" in params:
            conf["name"] = get_str(params, "name") or None
        login = get_dict(params, "login_page")
        if login is not None:
            conf["login_page"]["enabled"] = bool(get_bool(login, "enabled", False))
            if conf["login_page"]["enabled"]:
                conf["login_page"]["url"] = f"{self.base_url}/p/login/{conf['id'][4:16]}"
            else:
                conf["login_page"]["url"] = None
        active = get_bool(params, "active")
        if active is not None:
            conf["active"] = active
        conf["metadata"] = merge_metadata(conf.get("metadata") or {}, get_dict(params, "metadata"))
        features = get_dict(params, "features")
        if features is not None:
            self._apply_features(conf["features"], features)
            conf.pop("_legacy_actions", None)

    def _apply_features(self, target: dict, features: dict) -> None:
        known = {
            "invoice_history": ("enabled",),
            "payment_method_update": ("enabled",),
            "subscription_cancel": ("enabled", "mode", "proration_behavior"),
            "subscription_update": (
                "enabled",
                "products",
                "proration_behavior",
                "default_allowed_updates",
            ),
            "customer_update": ("enabled",),
            "subscription_pause": ("enabled",),
        }
        for name, value in features.items():
            if name not in known:
                raise ParamError(
                    f"Received unknown parameter: features[{name}]",
                    f"features[{name}]",
                    "parameter_unknown",
                )
            if not isinstance(value, dict):
                raise ParamError(f"Invalid object: features[{name}]", f"features[{name}]")
            for key in value:
                if key not in known[name]:
                    raise not_implemented(f"features[{name}][{key}]")
            feature = target[name]
            label = f"features[{name}]"
            if "enabled" in value:
                feature["enabled"] = bool(get_bool(value, "enabled", False))
            if name in ("customer_update", "subscription_pause") and feature["enabled"]:
                raise not_implemented(f"{label}[enabled]=true")
            if name == "subscription_cancel":
                feature["mode"] = _choice(
                    value, "mode", CANCEL_MODES, f"{label}[mode]", feature["mode"]
                )
                feature["proration_behavior"] = _choice(
                    value,
                    "proration_behavior",
                    CANCEL_PRORATIONS,
                    f"{label}[proration_behavior]",
                    feature["proration_behavior"],
                )
            if name == "subscription_update":
                feature["proration_behavior"] = _choice(
                    value,
                    "proration_behavior",
                    PRORATION_BEHAVIORS,
                    f"{label}[proration_behavior]",
                    feature["proration_behavior"],
                )
                if "default_allowed_updates" in value:
                    allowed = [a for a in get_list(value, "default_allowed_updates") if a]
                    for a in allowed:
                        if a != "price":
                            raise not_implemented(f"{label}[default_allowed_updates]={a}")
                    feature["default_allowed_updates"] = allowed
                if "products" in value:
                    feature["products"] = self._portal_products(get_list(value, "products"), label)
                if feature["enabled"] and not feature["products"]:
                    raise ParamError(
                        "Missing required param: features[subscription_update][products].",
                        f"{label}[products]",
                        "parameter_missing",
                    )
                if feature["enabled"] and not feature["default_allowed_updates"]:
                    feature["default_allowed_updates"] = ["price"]

    def _portal_products(self, raw: list, label: str) -> list:
        products = []
        for i, entry in enumerate(raw):
            if not isinstance(entry, dict):
                raise ParamError(f"Invalid object: {label}[products][{i}]")
            for key in entry:
                if key not in ("product", "prices"):
                    raise not_implemented(f"{label}[products][{i}][{key}]")
            product_id = get_str(entry, "product", required=True)
            self.get("products", product_id, f"{label}[products][{i}][product]")
            prices = [p for p in get_list(entry, "prices") if p]
            if not prices:
                raise ParamError(
                    f"Missing required param: {label}[products][{i}][prices].",
                    f"{label}[products][{i}][prices]",
                    "parameter_missing",
                )
            for price_id in prices:
                price = self.get("prices", price_id, f"{label}[products][{i}][prices]")
                if price["product"] != product_id or price["type"] != "recurring":
                    raise ParamError(
                        f"The price {price_id} is not a recurring price of {product_id}.",
                        f"{label}[products][{i}][prices]",
                    )
            products.append(
                {
                    "adjustable_quantity": {"enabled": False, "maximum": None, "minimum": 1},
                    "prices": prices,
                    "product": product_id,
                }
            )
        return products

    def portal_configuration_create(self, params):
        features = get_dict(params, "features")
        if features is None:
            raise ParamError("Missing required param: features.", "features", "parameter_missing")
        now = self.store.now()
        conf = objects.portal_configuration(now)
        # Stripe's defaults for a configuration created through the API: everything off.
        for feature in conf["features"].values():
            feature["enabled"] = False
        self._apply_portal_configuration(conf, params)
        self.store.portal_configurations[conf["id"]] = conf
        self.billing.emit("billing_portal.configuration.created", conf, now)
        return conf

    def portal_configuration_list(self, params):
        items = list(self.store.portal_configurations.values())
        for key in ("active", "is_default"):
            value = get_bool(params, key)
            if value is not None:
                items = [c for c in items if c[key] == value]
        return self.paginate(items, params, "/v1/billing_portal/configurations")

    def portal_configuration_retrieve(self, params, id):
        return self.get("portal_configurations", id)

    def portal_configuration_update(self, params, id):
        conf = self.get("portal_configurations", id)
        if conf["is_default"] and get_bool(params, "active") is False:
            raise StripeInvalid("The default configuration cannot be deactivated.", "active")
        before = copy.deepcopy(conf)
        self._apply_portal_configuration(conf, params)
        prev = {k: v for k, v in before.items() if not k.startswith("_") and conf[k] != v}
        if prev:
            conf["updated"] = self.store.now()
            self.billing.emit("billing_portal.configuration.updated", conf, conf["updated"], prev)
        return conf

    # -- portal sessions ----------------------------------------------------------------

    def _portal_configuration_for(self, params: dict) -> dict:
        conf_id = get_str(params, "configuration")
        if conf_id:
            conf = self.get("portal_configurations", conf_id, "configuration")
            if not conf["active"]:
                raise StripeInvalid(f"The configuration {conf_id} is not active.", "configuration")
            return conf
        for conf in self.store.portal_configurations.values():
            if conf["is_default"]:
                return conf
        raise StripeInvalid(NO_DEFAULT_PORTAL_CONFIGURATION)

    def _portal_flow(self, flow_data: dict, customer_id: str, conf: dict) -> dict:
        for key in flow_data:
            if key not in ("type", "after_completion", "subscription_update_confirm"):
                raise not_implemented(f"flow_data[{key}]")
        flow_type = get_str(flow_data, "type", required=True)
        if flow_type not in FLOW_TYPES:
            if flow_type in ("subscription_cancel", "subscription_update", "subscription_pause"):
                raise not_implemented(f"flow_data[type]={flow_type}")
            raise ParamError(
                f"Invalid flow_data[type]: must be one of {', '.join(FLOW_TYPES)}",
                "flow_data[type]",
            )
        after = get_dict(flow_data, "after_completion") or {}
        after_type = get_str(after, "type") or "portal_homepage"
        if after_type not in ("portal_homepage", "redirect", "hosted_confirmation"):
            raise ParamError(
                "Invalid flow_data[after_completion][type]", "flow_data[after_completion][type]"
            )
        redirect = None
        confirmation = None
        if after_type == "redirect":
            url = get_str(get_dict(after, "redirect") or {}, "return_url")
            if not url:
                raise ParamError(
                    "Missing required param: flow_data[after_completion][redirect][return_url].",
                    "flow_data[after_completion][redirect][return_url]",
                    "parameter_missing",
                )
            redirect = {"return_url": url}
        elif after_type == "hosted_confirmation":
            message = get_str(get_dict(after, "hosted_confirmation") or {}, "custom_message")
            confirmation = {"custom_message": message}
        flow = {
            "after_completion": {
                "hosted_confirmation": confirmation,
                "redirect": redirect,
                "type": after_type,
            },
            "subscription_cancel": None,
            "subscription_update": None,
            "subscription_update_confirm": None,
            "type": flow_type,
        }
        if flow_type == "payment_method_update":
            if not conf["features"]["payment_method_update"]["enabled"] and not conf.get(
                "_legacy_actions"
            ):
                raise StripeInvalid(
                    "The payment_method_update flow requires the configuration's "
                    "features[payment_method_update][enabled] to be true.",
                    "flow_data[type]",
                )
            return flow
        confirm = get_dict(flow_data, "subscription_update_confirm")
        if not confirm:
            raise ParamError(
                "Missing required param: flow_data[subscription_update_confirm].",
                "flow_data[subscription_update_confirm]",
                "parameter_missing",
            )
        for key in confirm:
            if key not in ("subscription", "items"):
                raise not_implemented(f"flow_data[subscription_update_confirm][{key}]")
        label = "flow_data[subscription_update_confirm]"
        sub_id = get_str(confirm, "subscription", required=True)
        sub = self.get("subscriptions", sub_id, f"{label}[subscription]")
        if sub["customer"] != customer_id:
            raise ParamError(
                f"The subscription {sub_id} does not belong to customer {customer_id}.",
                f"{label}[subscription]",
            )
        if sub["status"] not in ("active", "trialing", "past_due"):
            raise StripeInvalid(
                f"The subscription {sub_id} cannot be updated while it is {sub['status']}.",
                f"{label}[subscription]",
            )
        raw_items = get_list(confirm, "items")
        if not raw_items:
            raise ParamError(
                f"Missing required param: {label}[items].", f"{label}[items]", "parameter_missing"
            )
        item, price, quantity = self._item_change(sub, raw_items, f"{label}[items]")
        flow["subscription_update_confirm"] = {
            "discounts": [],
            "items": [{"id": item["id"], "price": price["id"], "quantity": quantity}],
            "subscription": sub_id,
        }
        return flow


class StripeInvalid(ParamError):
    """A 400 ``invalid_request_error`` without an error code."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message, param, None)
