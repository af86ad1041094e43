"""Plan changes: prorations, price switches, invoice previews, prorated cancellation."""

from __future__ import annotations

import copy

from .. import objects
from ..objects import add_interval
from ..stripe_types import ItemChange, StripeObject
from .invoices import proration_line
from .subscriptions import Subscriptions


class Proration(Subscriptions):
    # -- plan changes (proration) ---------------------------------------------------------

    def _proration_specs(
        self,
        sub: StripeObject,
        item: StripeObject,
        new_price: StripeObject,
        quantity: int,
        at: int,
        credit_only: bool = False,
    ) -> list[StripeObject]:
        """Stripe's prorations for a price change at ``at``: a credit for the unused time on
        the old price and a charge for the remaining time on the new one (rounded to the
        minor unit). None during a trial (both amounts are zero)."""
        start, end = item["current_period_start"], item["current_period_end"]
        if sub["status"] == "trialing" or not start <= at < end:
            return []
        fraction = (end - at) / (end - start)
        when = objects.short_date(at)
        specs = []
        old = item["price"]
        old_name = self.store.products.get(old["product"], {}).get("name", old["product"])
        credit = -round(old["unit_amount"] * item["quantity"] * fraction)
        if credit:
            specs.append(
                {
                    "amount": credit,
                    "price": old,
                    "start": at,
                    "end": end,
                    "description": f"Unused time on {item['quantity']} × {old_name} after {when}",
                }
            )
        if not credit_only:
            name = self.store.products.get(new_price["product"], {}).get("name", "")
            charge = round(new_price["unit_amount"] * quantity * fraction)
            if charge:
                specs.append(
                    {
                        "amount": charge,
                        "price": new_price,
                        "start": at,
                        "end": end,
                        "description": f"Remaining time on {quantity} × {name} after {when}",
                    }
                )
        return specs

    @staticmethod
    def same_interval(a: StripeObject, b: StripeObject) -> bool:
        ra, rb = a.get("recurring") or {}, b.get("recurring") or {}
        return (ra.get("interval"), ra.get("interval_count")) == (
            rb.get("interval"),
            rb.get("interval_count"),
        )

    def change_price(
        self,
        sub: StripeObject,
        customer: StripeObject,
        item: StripeObject,
        new_price: StripeObject,
        quantity: int,
        behavior: str,
        at: int,
        proration_date: int | None = None,
    ) -> None:
        """Switch a subscription item to ``new_price`` like ``Subscription.modify(items=...,
        proration_behavior=...)``: ``create_prorations`` leaves proration invoice items for
        the next invoice, ``always_invoice`` invoices them now, ``none`` only switches. A
        change of interval restarts the billing cycle now and invoices at once."""
        if item["price"]["id"] == new_price["id"] and item["quantity"] == quantity:
            return
        prev = {"items": copy.deepcopy(sub["items"])}
        moment = proration_date if proration_date is not None else at
        same = self.same_interval(item["price"], new_price)
        trialing = sub["status"] == "trialing"
        specs = []
        if behavior != "none":
            specs = self._proration_specs(
                sub, item, new_price, quantity, moment, credit_only=not same
            )
        new_items = []
        for spec in specs:
            ii = _spec_item(customer, sub, item, spec, at)
            self.store.invoice_items[ii["id"]] = ii
            new_items.append(ii)
        item["price"] = copy.deepcopy(new_price)
        item["plan"] = objects.plan_from_price(new_price)
        item["quantity"] = quantity
        restart = not same and not trialing
        if restart:
            rec = new_price["recurring"]
            prev["billing_cycle_anchor"] = sub["billing_cycle_anchor"]
            sub["billing_cycle_anchor"] = at
            item["current_period_start"] = at
            item["current_period_end"] = add_interval(at, rec["interval"], rec["interval_count"])
        self.emit("customer.subscription.updated", sub, at, prev)
        for ii in new_items:
            self.emit("invoiceitem.created", ii, at)
        if restart or (behavior == "always_invoice" and new_items):
            end = item["current_period_end"]
            inv = self._new_invoice(
                sub, customer, "subscription_update", at, end, at, (at, at), with_items=restart
            )
            prev_latest = {"latest_invoice": sub["latest_invoice"]}
            sub["latest_invoice"] = inv["id"]
            self.emit("invoice.created", inv, at)
            self._finalize(inv, customer, at)
            self._collect(sub, customer, inv, at, first=True)
            self.emit("customer.subscription.updated", sub, at, prev_latest)

    def preview_invoice(
        self,
        sub: StripeObject,
        customer: StripeObject,
        change: ItemChange | None,
        behavior: str,
        at: int,
        proration_date: int | None = None,
    ) -> StripeObject:
        """What ``Invoice.create_preview`` returns: the invoice a change would produce now
        (``always_invoice`` or an interval change) or else the next renewal invoice with
        pending and new prorations. Nothing is stored."""
        inv = objects.invoice(customer, sub, "upcoming", at, at, at)
        inv["id"] = "upcoming_" + inv["id"]
        inv["lines"]["url"] = f"/v1/invoices/{inv['id']}/lines"
        item = sub["items"]["data"][0]
        price, quantity = item["price"], item["quantity"]
        specs = []
        immediate = False
        if change is not None:
            item, price, quantity = change
            same = self.same_interval(item["price"], price)
            moment = proration_date if proration_date is not None else at
            if behavior != "none":
                specs = self._proration_specs(
                    sub, item, price, quantity, moment, credit_only=not same
                )
            immediate = (not same and sub["status"] != "trialing") or behavior == "always_invoice"
        lines = []
        if not immediate:
            for ii in self.store.invoice_items.values():
                if ii["invoice"] is None and (
                    ii["parent"]["subscription_details"]["subscription"] == sub["id"]
                ):
                    lines.append(proration_line(inv["id"], sub, ii))
        for spec in specs:
            ii = _spec_item(customer, sub, item, spec, at)
            lines.append(proration_line(inv["id"], sub, ii))
        if change is None or not immediate or not self.same_interval(item["price"], price):
            rec = price["recurring"] or {"interval": "month", "interval_count": 1}
            start = at if immediate else item["current_period_end"]
            end = add_interval(start, rec["interval"], rec["interval_count"])
            period_item = dict(item, price=price, quantity=quantity)
            name = self.store.products.get(price["product"], {}).get("name", price["product"])
            desc = (
                f"{quantity} × {name} (at "
                f"{objects.money(price['unit_amount'], price['currency'])} / {rec['interval']})"
            )
            lines.append(
                objects.invoice_line(
                    inv["id"], sub, period_item, start, end, price["unit_amount"] * quantity, desc
                )
            )
            inv["period_start"] = inv["period_end"] = at if immediate else start
            if not immediate:
                inv["created"] = start
                inv["period_start"] = item["current_period_start"]
        inv["billing_reason"] = "subscription_update" if immediate else "upcoming"
        inv["lines"]["data"] = lines
        self._totals(inv)
        balance = customer.get("balance", 0)
        inv["starting_balance"] = balance
        inv["amount_due"] = inv["amount_remaining"] = max(inv["total"] + balance, 0)
        inv["ending_balance"] = min(inv["total"] + balance, 0)
        return inv

    def cancel_with_proration(self, sub: StripeObject, customer: StripeObject, at: int) -> None:
        """Cancel now and credit the unused time to the customer's balance (the portal's
        ``subscription_cancel.proration_behavior = create_prorations``)."""
        item = sub["items"]["data"][0]
        specs = self._proration_specs(sub, item, item["price"], item["quantity"], at, True)
        self.cancel_now(sub, at)
        if not specs:
            return
        spec = specs[0]
        ii = _spec_item(customer, sub, item, spec, at)
        self.store.invoice_items[ii["id"]] = ii
        self.emit("invoiceitem.created", ii, at)
        inv = self._new_invoice(
            sub, customer, "subscription_update", at, at, at, (at, at), with_items=False
        )
        self.emit("invoice.created", inv, at)
        self._finalize(inv, customer, at)
        self._mark_paid(inv, at)


def _spec_item(
    customer: StripeObject, sub: StripeObject, item: StripeObject, spec: StripeObject, at: int
) -> StripeObject:
    """The proration invoice item for one of ``Proration._proration_specs``' entries."""
    return objects.invoice_item(
        customer,
        sub,
        item,
        spec["price"],
        spec["amount"],
        spec["start"],
        spec["end"],
        spec["description"],
        at,
    )
