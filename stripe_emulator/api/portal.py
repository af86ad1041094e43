"""Customer portal: configurations and sessions (with their flows)."""

from __future__ import annotations

import copy
from typing import Any

from .. import objects
from ..errors import StripeInvalid, not_implemented
from ..params import ParamError, get_bool, get_dict, get_list, get_str, merge_metadata
from ..stripe_types import Params, StripeObject
from .base import PRORATION_BEHAVIORS, ApiBase, _choice

CANCEL_MODES = ("at_period_end", "immediately")
CANCEL_PRORATIONS = ("none", "create_prorations")
FLOW_TYPES = ("payment_method_update", "subscription_update_confirm")
NO_DEFAULT_PORTAL_CONFIGURATION = (
    "You can't create a portal session in test mode until you save your customer portal "
    "settings in test mode at https://dashboard.stripe.com/test/settings/billing/portal."
)


class PortalApi(ApiBase):
    # -- billing portal --------------------------------------------------------------------

    def portal_create(self, params: Params) -> StripeObject:
        customer_id = get_str(params, "customer", required=True)
        self.get("customers", customer_id, "customer")
        conf = self._portal_configuration_for(params)
        flow_data = get_dict(params, "flow_data")
        flow = self._portal_flow(flow_data, customer_id, conf) if flow_data else None
        session = objects.portal_session(
            customer_id,
            get_str(params, "return_url") or conf["default_return_url"],
            self._customer_now(customer_id),
            self.base_url,
        )
        session["configuration"] = conf["id"]
        session["flow"] = flow
        self.store.portal_sessions[session["id"]] = session
        return session

    # -- invoices ----------------------------------------------------------------------------
    # -- customer portal configurations -------------------------------------------------

    def _apply_portal_configuration(self, conf: StripeObject, params: Params) -> None:
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

    def _apply_features(self, target: Params, features: Params) -> None:
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

    def _portal_products(self, raw: list[Any], label: str) -> list[Any]:
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

    def portal_configuration_create(self, params: Params) -> StripeObject:
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

    def portal_configuration_list(self, params: Params) -> StripeObject:
        items = list(self.store.portal_configurations.values())
        for key in ("active", "is_default"):
            value = get_bool(params, key)
            if value is not None:
                items = [c for c in items if c[key] == value]
        return self.paginate(items, params, "/v1/billing_portal/configurations")

    def portal_configuration_update(self, params: Params, id: str) -> StripeObject:
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

    def _portal_configuration_for(self, params: Params) -> StripeObject:
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

    def _portal_flow(self, flow_data: Params, customer_id: str, conf: StripeObject) -> StripeObject:
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
