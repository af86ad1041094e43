"""Checkout Sessions."""

from __future__ import annotations

from .. import objects
from ..errors import StripeError
from ..params import ParamError, get_dict, get_int, get_list, get_str, merge_metadata
from ..stripe_types import Params, StripeObject
from .base import ApiBase


class CheckoutApi(ApiBase):
    # -- checkout sessions -------------------------------------------------------------------

    def session_create(self, params: Params) -> StripeObject:
        mode = get_str(params, "mode", required=True)
        if mode != "subscription":
            raise ParamError("The emulator only supports mode=subscription.", "mode")
        success_url = get_str(params, "success_url")
        if not success_url:
            raise ParamError(
                "Missing required param: success_url.", "success_url", "parameter_missing"
            )
        raw_items = get_list(params, "line_items")
        if not raw_items:
            raise ParamError(
                "Missing required param: line_items.", "line_items", "parameter_missing"
            )
        line_items = []
        for i, li in enumerate(raw_items):
            if not isinstance(li, dict) or not li.get("price"):
                raise ParamError(
                    f"Missing required param: line_items[{i}][price].",
                    f"line_items[{i}][price]",
                    "parameter_missing",
                )
            p = self.get("prices", li["price"], f"line_items[{i}][price]")
            if p["type"] != "recurring":
                raise ParamError(
                    "You must specify at least one recurring price in `subscription` mode.",
                    f"line_items[{i}][price]",
                )
            quantity = get_int(li, "quantity", default=1)
            line_items.append({"price": p["id"], "quantity": quantity})
        customer_id = get_str(params, "customer")
        if customer_id:
            self.get("customers", customer_id, "customer")
            if get_str(params, "customer_email"):
                raise ParamError(
                    "You may only specify one of these parameters: customer, customer_email.",
                    "customer_email",
                )
        sub_data = get_dict(params, "subscription_data") or {}
        trial_days = get_int(sub_data, "trial_period_days")
        if trial_days is not None and trial_days < 1:
            raise ParamError(
                "trial_period_days must be at least 1.", "subscription_data[trial_period_days]"
            )
        now = self._customer_now(customer_id)
        full_items = [
            {"price": self.store.prices[li["price"]], "quantity": li["quantity"]}
            for li in line_items
        ]
        params = dict(params, metadata=self._metadata(params))
        session = objects.checkout_session(params, full_items, now, self.base_url)
        session["_line_items"] = line_items
        session["_trial_days"] = trial_days
        session["_subscription_metadata"] = merge_metadata({}, get_dict(sub_data, "metadata"))
        self.store.checkout_sessions[session["id"]] = session
        return session

    def session_line_items(self, params: Params, id: str) -> StripeObject:
        session = self.get("checkout_sessions", id)
        lst = self._session_line_items(session)
        return self.paginate(lst["data"][::-1], params, lst["url"])

    def session_list(self, params: Params) -> StripeObject:
        items = list(self.store.checkout_sessions.values())
        for key in ("customer", "subscription", "status"):
            if get_str(params, key):
                items = [s for s in items if s[key] == params[key]]
        return self.paginate(items, params, "/v1/checkout/sessions")

    def session_expire(self, params: Params, id: str) -> StripeObject:
        session = self.get("checkout_sessions", id)
        if session["status"] != "open":
            raise StripeError(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be '
                f"expired. This Checkout Session has a status of "
                f'"{session["status"]}".',
            )
        self.billing.expire_session(session, self._customer_now(session["customer"]))
        return session
