"""Subscriptions: list, retrieve, update (metadata, cancellation, price changes with
proration), cancel."""

from __future__ import annotations

from ..errors import StripeError, not_implemented
from ..params import ParamError, get_bool, get_dict, get_int, get_list, get_str
from ..stripe_types import Params, StripeObject
from .base import PRORATION_BEHAVIORS, ApiBase, _choice


class SubscriptionsApi(ApiBase):
    # -- subscriptions ----------------------------------------------------------------------

    def sub_list(self, params: Params) -> StripeObject:
        items = list(self.store.subscriptions.values())
        status = get_str(params, "status")
        if status is None:
            items = [s for s in items if s["status"] not in ("canceled", "incomplete_expired")]
        elif status == "ended":
            items = [s for s in items if s["status"] in ("canceled", "incomplete_expired")]
        elif status != "all":
            items = [s for s in items if s["status"] == status]
        if get_str(params, "customer"):
            items = [s for s in items if s["customer"] == params["customer"]]
        if get_str(params, "price"):
            items = [
                s
                for s in items
                if any(i["price"]["id"] == params["price"] for i in s["items"]["data"])
            ]
        if get_str(params, "test_clock"):
            items = [s for s in items if s["test_clock"] == params["test_clock"]]
        return self.paginate(items, params, "/v1/subscriptions")

    def sub_update(self, params: Params, id: str) -> StripeObject:
        sub = self.get("subscriptions", id)
        now = self._customer_now(sub["customer"])
        if sub["status"] == "canceled" and any(k != "expand" for k in params):
            raise StripeError(
                400,
                "A canceled subscription can only update its cancellation_details and metadata.",
            )
        if "pause_collection" in params:
            raise not_implemented("pause_collection")
        self._sub_price_change(sub, params, now)
        if "metadata" in params:
            self.billing.update_metadata(sub, self._metadata(params, sub["metadata"]), now)
        flag = get_bool(params, "cancel_at_period_end")
        details = get_dict(params, "cancellation_details") or {}
        if flag is not None:
            self.billing.set_cancel_at_period_end(sub, flag, now, details.get("comment"))
        if "cancel_at" in params:
            cancel_at = get_int(params, "cancel_at")  # "" unsets it
            if cancel_at is not None and cancel_at <= now:
                raise ParamError("cancel_at must be in the future.", "cancel_at")
            self.billing.set_cancel_at(sub, cancel_at, now, details.get("comment"))
        if "default_payment_method" in params:
            pm_id = get_str(params, "default_payment_method") or None
            if pm_id:
                self.get("payment_methods", pm_id, "default_payment_method")
            sub["default_payment_method"] = pm_id
        return sub

    def sub_cancel(self, params: Params, id: str) -> StripeObject:
        sub = self.get("subscriptions", id)
        if sub["status"] == "canceled":
            raise StripeError(
                404, f"No such subscription: '{id}'", code="resource_missing", param="id"
            )
        details = get_dict(params, "cancellation_details") or {}
        self.billing.cancel_now(
            sub, self._customer_now(sub["customer"]), comment=details.get("comment")
        )
        return sub

    # -- subscriptions: price changes -------------------------------------------------

    def _sub_price_change(self, sub: StripeObject, params: Params, now: int) -> None:
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
