"""Subscriptions: start, cancellation (scheduled or now), status, card updates, dunning,
the hosted invoice page's payments."""

from __future__ import annotations

import copy
from typing import Any

from .. import objects
from ..objects import add_interval
from ..stripe_types import StripeObject
from .base import DAY
from .cards import AUTH_FAILED
from .invoices import Invoices


class Subscriptions(Invoices):
    # -- subscriptions --------------------------------------------------------------

    def start_subscription(
        self,
        customer: StripeObject,
        line_items: list[Any],
        trial_days: int | None,
        metadata: StripeObject,
        pm_id: str | None,
        at: int,
    ) -> tuple[StripeObject, StripeObject]:
        """Create a subscription and its first invoice (paid), emitting events.

        The caller checks beforehand that the card can pay when there is no trial.
        """
        sub = objects.subscription(customer, at)
        sub["metadata"] = dict(metadata or {})
        sub["default_payment_method"] = pm_id
        first_price = self.store.prices[line_items[0]["price"]]
        rec = first_price["recurring"]
        if trial_days:
            end = at + int(trial_days) * DAY
            sub.update(status="trialing", trial_start=at, trial_end=end, billing_cycle_anchor=end)
        else:
            end = add_interval(at, rec["interval"], rec["interval_count"])
            sub["status"] = "active"
        sub["currency"] = first_price["currency"]
        for li in line_items:
            price_obj = self.store.prices[li["price"]]
            sub["items"]["data"].append(
                objects.subscription_item(sub["id"], price_obj, li["quantity"], at, end, at)
            )
        sub["items"]["total_count"] = len(sub["items"]["data"])
        self.store.subscriptions[sub["id"]] = sub
        inv = self._new_invoice(
            sub,
            customer,
            "subscription_create",
            at,
            end,
            at,
            (at, at),
            amount_override=0 if trial_days else None,
        )
        sub["latest_invoice"] = inv["id"]
        self.emit("customer.subscription.created", sub, at)
        self.emit("invoice.created", inv, at)
        self._finalize(inv, customer, at)
        # The customer is on the checkout page: any 3-D Secure step is already done.
        self._attempt_payment(inv, sub, customer, at, authenticated=True)
        self._mark_paid(inv, at)
        return sub, inv

    def set_cancel_at_period_end(
        self, sub: StripeObject, flag: bool, at: int, comment: str | None = None
    ) -> None:
        if sub["cancel_at_period_end"] == flag:
            return
        end = sub["items"]["data"][0]["current_period_end"]
        self._schedule_cancel(sub, end if flag else None, flag, at, comment)

    def set_cancel_at(
        self, sub: StripeObject, cancel_at: int | None, at: int, comment: str | None = None
    ) -> None:
        """Schedule the subscription's end at a timestamp (None: unschedule). As in Stripe's
        flexible billing mode, ``cancel_at_period_end`` stays false even when ``cancel_at``
        is the period end."""
        if sub["cancel_at"] == cancel_at and not sub["cancel_at_period_end"]:
            return
        self._schedule_cancel(sub, cancel_at, False, at, comment)

    def _schedule_cancel(
        self,
        sub: StripeObject,
        cancel_at: int | None,
        at_period_end: bool,
        at: int,
        comment: str | None,
    ) -> None:
        """Set (or clear, ``cancel_at`` None) the subscription's scheduled end and emit
        ``customer.subscription.updated`` with the fields it had."""
        prev = self._prev(
            sub, "cancel_at", "cancel_at_period_end", "canceled_at", "cancellation_details"
        )
        sub["cancel_at"] = cancel_at
        sub["cancel_at_period_end"] = at_period_end
        if cancel_at:
            sub["canceled_at"] = at
            sub["cancellation_details"] = {
                "comment": comment,
                "feedback": None,
                "reason": "cancellation_requested",
            }
        else:
            sub["canceled_at"] = None
            sub["cancellation_details"] = {"comment": None, "feedback": None, "reason": None}
        self.emit("customer.subscription.updated", sub, at, prev)

    def update_metadata(self, sub: StripeObject, metadata: StripeObject, at: int) -> None:
        if metadata == sub["metadata"]:
            return
        prev = self._prev(sub, "metadata")
        sub["metadata"] = metadata
        self.emit("customer.subscription.updated", sub, at, prev)

    def cancel_now(
        self,
        sub: StripeObject,
        at: int,
        reason: str = "cancellation_requested",
        comment: str | None = None,
    ) -> None:
        if sub["status"] in ("canceled", "incomplete_expired"):
            return
        sub["status"] = "canceled"
        sub["canceled_at"] = sub["canceled_at"] or at
        # cancel_at_period_end stays as it was: true after a cancel at period end, as in Stripe.
        sub["ended_at"] = at
        sub["cancellation_details"] = {"comment": comment, "feedback": None, "reason": reason}
        self.store.internal["sub_state"].pop(sub["id"], None)
        self.emit("customer.subscription.deleted", sub, at)

    def _set_status(self, sub: StripeObject, status: str, at: int) -> None:
        if sub["status"] != status:
            prev = self._prev(sub, "status")
            sub["status"] = status
            self.emit("customer.subscription.updated", sub, at, prev)

    def update_card(self, customer: StripeObject, number: str, at: int) -> StripeObject:
        """Attach a new default card; pay open invoices of past_due/unpaid subscriptions."""
        pm = self.attach_card(customer, number, at)
        prev = {"invoice_settings": copy.deepcopy(customer["invoice_settings"])}
        customer["invoice_settings"]["default_payment_method"] = pm["id"]
        self.emit("customer.updated", customer, at, prev)
        for sub in list(self.store.subscriptions.values()):
            if sub["customer"] != customer["id"] or sub["status"] in ("canceled",):
                continue
            sub["default_payment_method"] = pm["id"]
            inv = self.store.invoices.get(sub.get("latest_invoice") or "")
            if (
                sub["status"] in ("past_due", "unpaid")
                and inv
                and inv["status"] == "open"
                and self._attempt_payment(inv, sub, customer, at, authenticated=True) == "succeeded"
            ):
                self.pay_invoice_now(inv, sub, at)
        return pm

    def pay_invoice_now(self, inv: StripeObject, sub: StripeObject | None, at: int) -> None:
        """Book a successful payment of an open invoice (the charge already succeeded)."""
        self._mark_paid(inv, at)
        if sub is not None:
            self._sub_state(sub["id"]).pop("retry", None)
            if sub["status"] in ("past_due", "unpaid", "incomplete"):
                self._set_status(sub, "active", at)

    # -- hosted invoice page and portal --------------------------------------------------

    def authenticate_invoice(self, inv: StripeObject, result: str, at: int) -> bool:
        """The owner's 3-D Secure step on the hosted invoice page. True when paid."""
        sub = self.store.subscriptions.get(inv["parent"]["subscription_details"]["subscription"])
        customer = self.store.customers[inv["customer"]]
        pi = self._invoice_payment_intent(inv, customer, at)
        if result != "complete":
            pi.update(
                status="requires_payment_method",
                next_action=None,
                last_payment_error={
                    "code": "payment_intent_authentication_failure",
                    "decline_code": None,
                    "message": AUTH_FAILED,
                    "type": "invalid_request_error",
                },
            )
            return False
        pay_with = sub or {}  # (an invoice of the emulator's always has its subscription)
        if self._attempt_payment(inv, pay_with, customer, at, authenticated=True) != "succeeded":
            return False
        self.pay_invoice_now(inv, sub, at)
        return True

    def pay_invoice_with_card(self, inv: StripeObject, number: str, at: int) -> bool:
        """Pay an open invoice on its hosted page with a new card (the subscription's
        default payment method is left alone, as on Stripe's page). True when paid."""
        sub = self.store.subscriptions.get(inv["parent"]["subscription_details"]["subscription"])
        customer = self.store.customers[inv["customer"]]
        pm = self.attach_card(customer, number, at)
        if pm["id"] in self.store.internal["failing_pms"]:
            return False
        pay_with = dict(sub or {}, default_payment_method=pm["id"])
        if self._attempt_payment(inv, pay_with, customer, at, authenticated=True) != "succeeded":
            return False
        self.pay_invoice_now(inv, sub, at)
        return True

    def _collect(
        self, sub: StripeObject, customer: StripeObject, inv: StripeObject, at: int, first: bool
    ) -> None:
        state = self._sub_state(sub["id"])
        outcome = self._attempt_payment(inv, sub, customer, at)
        if outcome == "succeeded":
            self._mark_paid(inv, at)
            state.pop("retry", None)
            if sub["status"] in ("past_due", "unpaid"):
                self._set_status(sub, "active", at)
            return
        if first:
            state["retry"] = {"invoice": inv["id"], "first_failure": at, "index": 0}
        retry = state["retry"]
        index = retry["index"]
        next_attempt = None
        if index < len(self.retry_days):
            next_attempt = retry["first_failure"] + self.retry_days[index] * DAY
        retry["index"] = index + 1
        self._mark_failed(inv, at, next_attempt)
        if outcome == "requires_action":
            self.emit("invoice.payment_action_required", inv, at)
        if next_attempt is None:
            state.pop("retry", None)
            if self.failed_payment_policy == "cancel":
                self.cancel_now(sub, at, reason="payment_failed")
            else:
                self._set_status(sub, "unpaid", at)
        else:
            self._set_status(sub, "past_due", at)
