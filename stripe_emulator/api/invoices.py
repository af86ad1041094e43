"""Invoices, their preview, invoice items and invoice payments."""

from __future__ import annotations

from ..errors import StripeInvalid, not_implemented
from ..params import ParamError, get_bool, get_dict, get_int, get_list, get_str
from ..stripe_types import Params, StripeObject
from .base import PRORATION_BEHAVIORS, ApiBase, _choice


class InvoicesApi(ApiBase):
    # -- invoices ----------------------------------------------------------------------------

    def invoice_list(self, params: Params) -> StripeObject:
        items = list(self.store.invoices.values())
        if get_str(params, "customer"):
            items = [i for i in items if i["customer"] == params["customer"]]
        if get_str(params, "subscription"):
            items = [
                i
                for i in items
                if i["parent"]["subscription_details"]["subscription"] == params["subscription"]
            ]
        if get_str(params, "status"):
            items = [i for i in items if i["status"] == params["status"]]
        return self.paginate(items, params, "/v1/invoices")

    def invoice_lines(self, params: Params, id: str) -> StripeObject:
        inv = self.get("invoices", id)
        return self.paginate(inv["lines"]["data"][::-1], params, inv["lines"]["url"])

    # -- invoices: preview ------------------------------------------------------------

    def invoice_create_preview(self, params: Params) -> StripeObject:
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

    def invoiceitem_list(self, params: Params) -> StripeObject:
        items = list(self.store.invoice_items.values())
        if get_str(params, "customer"):
            items = [i for i in items if i["customer"] == params["customer"]]
        if get_str(params, "invoice"):
            items = [i for i in items if i["invoice"] == params["invoice"]]
        pending = get_bool(params, "pending")
        if pending is not None:
            items = [i for i in items if (i["invoice"] is None) == pending]
        return self.paginate(items, params, "/v1/invoiceitems")

    def invoice_payment_list(self, params: Params) -> StripeObject:
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
