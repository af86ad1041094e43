"""Invoices: building, totals and customer balance, finalizing, paying through
PaymentIntents and Charges."""

from __future__ import annotations

from .. import objects
from ..stripe_types import StripeObject
from .base import BillingBase


class Invoices(BillingBase):
    def _attempt_payment(
        self,
        inv: StripeObject,
        sub: StripeObject,
        customer: StripeObject,
        at: int,
        authenticated: bool = False,
    ) -> str:
        """Try to pay an open invoice with the subscription's card, through its
        PaymentIntent: "succeeded", "failed" or "requires_action" (3-D Secure needed and the
        customer is not there: ``authenticated`` is True when they just authenticated)."""
        if inv["amount_due"] == 0:
            return "succeeded"
        pm = self._payment_method_for(sub, customer)
        pi = self._invoice_payment_intent(inv, customer, at)
        pi["payment_method"] = pm["id"] if pm else None
        needs_auth = pm is not None and (
            self.store.internal.get("auth_cards", {}).get(pm["id"]) == "always"
        )
        if pm is None or pm["id"] in self.store.internal["failing_pms"]:
            failure = ("card_declined", "Your card was declined.")
            if pm is not None:
                ch = objects.charge(pi, pm, False, at, failure)
                self.store.charges[ch["id"]] = ch
                pi["latest_charge"] = ch["id"]
            pi["status"] = "requires_payment_method"
            pi["next_action"] = None
            pi["last_payment_error"] = {
                "code": "card_declined",
                "decline_code": "generic_decline",
                "message": failure[1],
                "type": "card_error",
            }
            return "failed"
        if needs_auth and not authenticated:
            pi["status"] = "requires_action"
            pi["next_action"] = {
                "type": "use_stripe_sdk",
                "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": ""},
            }
            pi["last_payment_error"] = {
                "code": "authentication_required",
                "decline_code": "authentication_required",
                "message": "Your card was declined. This transaction requires authentication.",
                "type": "card_error",
            }
            return "requires_action"
        ch = objects.charge(pi, pm, True, at)
        ch["description"] = pi["description"]
        self.store.charges[ch["id"]] = ch
        pi.update(
            status="succeeded",
            amount_received=pi["amount"],
            latest_charge=ch["id"],
            next_action=None,
            last_payment_error=None,
        )
        for pay in self.store.invoice_payments.values():
            if pay["invoice"] == inv["id"]:
                pay["status"] = "paid"
                pay["amount_paid"] = pi["amount"]
                pay["status_transitions"]["paid_at"] = at
        return "succeeded"

    def _invoice_payment_intent(
        self, inv: StripeObject, customer: StripeObject, at: int
    ) -> StripeObject:
        pi = self.store.payment_intents.get(inv.get("_payment_intent") or "")
        if pi is None:
            pi = objects.payment_intent(
                inv["amount_due"], inv["currency"], customer["id"], None, at
            )
            pi["description"] = (
                "Subscription creation"
                if inv["billing_reason"] == "subscription_create"
                else "Subscription update"
            )
            self.store.payment_intents[pi["id"]] = pi
            inv["_payment_intent"] = pi["id"]
            pay = objects.invoice_payment(inv, pi, at)
            self.store.invoice_payments[pay["id"]] = pay
        return pi

    # -- invoices ------------------------------------------------------------------

    def _new_invoice(
        self,
        sub: StripeObject,
        customer: StripeObject,
        reason: str,
        line_start: int,
        line_end: int,
        at: int,
        invoice_period: tuple[int, int],
        amount_override: int | None = None,
        include_pending: bool = True,
        with_items: bool = True,
    ) -> StripeObject:
        inv = objects.invoice(customer, sub, reason, invoice_period[0], invoice_period[1], at)
        for item in sub["items"]["data"] if with_items else []:
            amount = item["price"]["unit_amount"] * item["quantity"]
            if amount_override is not None:
                amount = amount_override
            product = self.store.products.get(item["price"]["product"], {})
            name = product.get("name", item["price"]["product"])
            rec = item["price"]["recurring"] or {"interval": "month"}
            if amount == 0 and reason == "subscription_create":
                desc = f"Trial period for {name}"
            else:
                desc = (
                    f"{item['quantity']} × {name} (at "
                    f"{objects.money(item['price']['unit_amount'], item['price']['currency'])}"
                    f" / {rec['interval']})"
                )
            inv["lines"]["data"].append(
                objects.invoice_line(inv["id"], sub, item, line_start, line_end, amount, desc)
            )
        if include_pending:
            self._add_pending_items(inv, sub)
        else:
            self._totals(inv)
        self.store.invoices[inv["id"]] = inv
        return inv

    def _add_pending_items(self, inv: StripeObject, sub: StripeObject) -> None:
        """Move the subscription's pending (proration) invoice items onto ``inv``."""
        for ii in self.store.invoice_items.values():
            if ii["invoice"] is None and (
                ii["parent"]["subscription_details"]["subscription"] == sub["id"]
            ):
                ii["invoice"] = inv["id"]
                inv["lines"]["data"].append(proration_line(inv["id"], sub, ii))
        self._totals(inv)

    def _totals(self, inv: StripeObject) -> None:
        total = sum(line["amount"] for line in inv["lines"]["data"])
        inv["lines"]["total_count"] = len(inv["lines"]["data"])
        for key in ("subtotal", "subtotal_excluding_tax", "total", "total_excluding_tax"):
            inv[key] = total
        inv["amount_due"] = inv["amount_remaining"] = max(total, 0)

    def _apply_balance(self, inv: StripeObject, customer: StripeObject, at: int) -> None:
        """At finalization: a negative total becomes customer credit; credit pays invoices."""
        balance = customer.get("balance", 0)
        due = inv["total"] + balance
        inv["starting_balance"] = balance
        inv["amount_due"] = inv["amount_remaining"] = max(due, 0)
        inv["ending_balance"] = min(due, 0)
        if balance or due < 0:
            prev = {"balance": balance}
            customer["balance"] = min(due, 0)
            if customer["balance"] != balance:
                self.emit("customer.updated", customer, at, prev)

    def _finalize(self, inv: StripeObject, customer: StripeObject, at: int) -> None:
        seq = customer.get("next_invoice_sequence", 1)
        customer["next_invoice_sequence"] = seq + 1
        inv["number"] = f"{customer['invoice_prefix']}-{seq:04d}"
        self._apply_balance(inv, customer, at)
        inv["status"] = "open"
        inv["effective_at"] = at
        inv["status_transitions"]["finalized_at"] = at
        inv["automatically_finalizes_at"] = None
        if self.public_url:
            inv["hosted_invoice_url"] = f"{self.public_url}/invoice/{inv['id']}"
        self.emit("invoice.finalized", inv, at)

    def _mark_paid(self, inv: StripeObject, at: int) -> None:
        inv["status"] = "paid"
        inv["amount_paid"] = inv["amount_due"]
        inv["amount_remaining"] = 0
        if inv["ending_balance"] is None:
            inv["ending_balance"] = 0
        inv["attempted"] = True
        if inv["amount_due"] > 0:
            inv["attempt_count"] += 1
        inv["next_payment_attempt"] = None
        inv["status_transitions"]["paid_at"] = at
        self.emit("invoice.paid", inv, at)
        self.emit("invoice.payment_succeeded", inv, at)

    def _mark_failed(self, inv: StripeObject, at: int, next_attempt: int | None) -> None:
        inv["attempted"] = True
        inv["attempt_count"] += 1
        inv["next_payment_attempt"] = next_attempt
        self.emit("invoice.payment_failed", inv, at)


def proration_line(invoice_id: str, sub: StripeObject, ii: StripeObject) -> StripeObject:
    """An invoice line for a pending proration invoice item."""
    item = next(
        (
            i
            for i in sub["items"]["data"]
            if i["id"] == ii["parent"]["subscription_details"]["subscription_item"]
        ),
        sub["items"]["data"][0],
    )
    price_id = ii["pricing"]["price_details"]["price"]
    item = dict(item, price=dict(item["price"], id=price_id))
    line = objects.invoice_line(
        invoice_id,
        sub,
        item,
        ii["period"]["start"],
        ii["period"]["end"],
        ii["amount"],
        ii["description"],
    )
    details = line["parent"]["subscription_item_details"]
    details["invoice_item"] = ii["id"]
    details["proration"] = True
    line["parent"]["type"] = "subscription_item_details"
    line["pricing"]["unit_amount_decimal"] = str(ii["amount"])
    line["quantity"] = 1
    return line
