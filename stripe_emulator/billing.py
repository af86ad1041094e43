"""Subscription / invoice lifecycle, test cards, events and clock processing.

Every public method must be called with ``store.lock`` held.
"""

from __future__ import annotations

import copy

from . import objects
from .objects import add_interval

DAY = 86400

# Test cards (digits only).
CARD_OK = "4242424242424242"
CARD_FAIL_CHARGES = "4000000000000341"  # attaches, every charge fails
DECLINED_AT_ONCE = {
    "4000000000000002": "Your card was declined.",
    "4000000000009995": "Your card has insufficient funds.",
    "4000000000000069": "Your card has expired.",
}


def _next_boundary(anchor: int, after: int, recurring: dict) -> int:
    """The first billing boundary strictly after ``after`` (calendar steps from the anchor,
    so a subscription anchored on the 31st renews on the 28th/29th/30th/31st)."""
    k = 1
    while True:
        boundary = add_interval(anchor, recurring["interval"], recurring["interval_count"] * k)
        if boundary > after:
            return boundary
        k += 1


class CardError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise_card(raw: str | None) -> str:
    """Digits of a card number; raises CardError when it is not a plausible card."""
    digits = "".join(ch for ch in (raw or "") if ch not in " -")
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not _luhn(digits):
        raise CardError("Your card number is invalid.")
    return digits


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class Billing:
    def __init__(
        self, store, dispatcher, failed_payment_policy: str = "cancel", retry_days=(3, 5, 7)
    ):
        if failed_payment_policy not in ("cancel", "unpaid"):
            raise ValueError("failed_payment_policy must be 'cancel' or 'unpaid'")
        self.store = store
        self.dispatcher = dispatcher
        self.failed_payment_policy = failed_payment_policy
        self.retry_days = tuple(retry_days)

    # -- events ----------------------------------------------------------------

    def emit(self, event_type: str, obj: dict, at: int, previous: dict | None = None) -> dict:
        evt = objects.event(event_type, obj, at, previous, 0)
        self.store.events[evt["id"]] = evt
        self.dispatcher.enqueue(evt)  # one delivery per destination; sets pending_webhooks
        return evt

    # -- time --------------------------------------------------------------------

    def now_for_customer(self, customer: dict | None) -> int:
        clock_id = customer.get("test_clock") if customer else None
        if clock_id and clock_id in self.store.test_clocks:
            return self.store.test_clocks[clock_id]["frozen_time"]
        return self.store.now()

    def _sub_state(self, sub_id: str) -> dict:
        return self.store.internal["sub_state"].setdefault(sub_id, {})

    # -- payment methods -------------------------------------------------------------

    def attach_card(self, customer: dict, number: str, at: int) -> dict:
        pm = objects.payment_method(number, customer["id"], customer.get("email"), at)
        self.store.payment_methods[pm["id"]] = pm
        if number == CARD_FAIL_CHARGES:
            self.store.internal["failing_pms"].append(pm["id"])
        self.emit("payment_method.attached", pm, at)
        return pm

    def _charge_ok(self, sub: dict, customer: dict) -> bool:
        pm_id = sub.get("default_payment_method") or (
            customer["invoice_settings"].get("default_payment_method")
        )
        if not pm_id or pm_id not in self.store.payment_methods:
            return False
        return pm_id not in self.store.internal["failing_pms"]

    # -- invoices ------------------------------------------------------------------

    def _new_invoice(
        self,
        sub: dict,
        customer: dict,
        reason: str,
        line_start: int,
        line_end: int,
        at: int,
        invoice_period: tuple[int, int],
        amount_override: int | None = None,
    ) -> dict:
        inv = objects.invoice(customer, sub, reason, invoice_period[0], invoice_period[1], at)
        total = 0
        for item in sub["items"]["data"]:
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
            total += amount
        inv["lines"]["total_count"] = len(inv["lines"]["data"])
        for key in (
            "amount_due",
            "amount_remaining",
            "subtotal",
            "subtotal_excluding_tax",
            "total",
            "total_excluding_tax",
        ):
            inv[key] = total
        self.store.invoices[inv["id"]] = inv
        return inv

    def _finalize(self, inv: dict, customer: dict, at: int) -> None:
        seq = customer.get("next_invoice_sequence", 1)
        customer["next_invoice_sequence"] = seq + 1
        inv["number"] = f"{customer['invoice_prefix']}-{seq:04d}"
        inv["status"] = "open"
        inv["effective_at"] = at
        inv["status_transitions"]["finalized_at"] = at
        self.emit("invoice.finalized", inv, at)

    def _mark_paid(self, inv: dict, at: int) -> None:
        inv["status"] = "paid"
        inv["amount_paid"] = inv["amount_due"]
        inv["amount_remaining"] = 0
        inv["attempted"] = True
        if inv["amount_due"] > 0:
            inv["attempt_count"] += 1
        inv["ending_balance"] = 0
        inv["next_payment_attempt"] = None
        inv["status_transitions"]["paid_at"] = at
        self.emit("invoice.paid", inv, at)
        self.emit("invoice.payment_succeeded", inv, at)

    def _mark_failed(self, inv: dict, at: int, next_attempt: int | None) -> None:
        inv["attempted"] = True
        inv["attempt_count"] += 1
        inv["next_payment_attempt"] = next_attempt
        self.emit("invoice.payment_failed", inv, at)

    # -- subscriptions --------------------------------------------------------------

    def start_subscription(
        self,
        customer: dict,
        line_items: list,
        trial_days: int | None,
        metadata: dict,
        pm_id: str | None,
        at: int,
    ) -> tuple[dict, dict]:
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
        self._mark_paid(inv, at)
        return sub, inv

    def _prev(self, sub: dict, *keys: str) -> dict:
        return {k: copy.deepcopy(sub[k]) for k in keys}

    def set_cancel_at_period_end(
        self, sub: dict, flag: bool, at: int, comment: str | None = None
    ) -> None:
        if sub["cancel_at_period_end"] == flag:
            return
        prev = self._prev(
            sub, "cancel_at", "cancel_at_period_end", "canceled_at", "cancellation_details"
        )
        sub["cancel_at_period_end"] = flag
        if flag:
            sub["cancel_at"] = sub["items"]["data"][0]["current_period_end"]
            sub["canceled_at"] = at
            sub["cancellation_details"] = {
                "comment": comment,
                "feedback": None,
                "reason": "cancellation_requested",
            }
        else:
            sub["cancel_at"] = None
            sub["canceled_at"] = None
            sub["cancellation_details"] = {"comment": None, "feedback": None, "reason": None}
        self.emit("customer.subscription.updated", sub, at, prev)

    def set_cancel_at(
        self, sub: dict, cancel_at: int | None, at: int, comment: str | None = None
    ) -> None:
        """Schedule the subscription's end at a timestamp (None: unschedule). As in Stripe's
        flexible billing mode, ``cancel_at_period_end`` stays false even when ``cancel_at``
        is the period end."""
        if sub["cancel_at"] == cancel_at and not sub["cancel_at_period_end"]:
            return
        prev = self._prev(
            sub, "cancel_at", "cancel_at_period_end", "canceled_at", "cancellation_details"
        )
        sub["cancel_at"] = cancel_at
        sub["cancel_at_period_end"] = False
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

    def update_metadata(self, sub: dict, metadata: dict, at: int) -> None:
        if metadata == sub["metadata"]:
            return
        prev = self._prev(sub, "metadata")
        sub["metadata"] = metadata
        self.emit("customer.subscription.updated", sub, at, prev)

    def cancel_now(
        self, sub: dict, at: int, reason: str = "cancellation_requested", comment: str | None = None
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

    def _set_status(self, sub: dict, status: str, at: int) -> None:
        if sub["status"] != status:
            prev = self._prev(sub, "status")
            sub["status"] = status
            self.emit("customer.subscription.updated", sub, at, prev)

    def update_card(self, customer: dict, number: str, at: int) -> dict:
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
                and self._charge_ok(sub, customer)
            ):
                self._mark_paid(inv, at)
                self.store.internal["sub_state"].get(sub["id"], {}).pop("retry", None)
                self._set_status(sub, "active", at)
        return pm

    # -- clock processing -------------------------------------------------------------

    def _next_action(self, sub: dict):
        if sub["status"] not in ("trialing", "active", "past_due"):
            return None
        state = self._sub_state(sub["id"])
        candidates = []
        if sub["status"] == "trialing" and sub["trial_end"] and not state.get("twe_sent"):
            when = sub["trial_end"] - 3 * DAY
            if when > sub["trial_start"]:
                candidates.append((when, 0, "trial_will_end"))
        retry = state.get("retry")
        if retry:
            inv = self.store.invoices.get(retry["invoice"])
            if inv and inv["status"] == "open" and inv["next_payment_attempt"]:
                candidates.append((inv["next_payment_attempt"], 1, "retry"))
        period_end = sub["items"]["data"][0]["current_period_end"]
        kind = "cancel" if sub["cancel_at_period_end"] else "renew"
        candidates.append((period_end, 2, kind))
        if sub["cancel_at"] and not sub["cancel_at_period_end"]:
            # At the same moment as a renewal, "cancel" sorts first: no new period is billed.
            candidates.append((sub["cancel_at"], 2, "cancel"))
        return min(candidates)

    def process(self, target: int, clock_id: str | None) -> int:
        """Run every subscription action due at or before ``target`` for customers on
        ``clock_id`` (None: customers without a test clock), in time order."""
        steps = 0
        while steps < 100000:
            best = None
            for sub in self.store.subscriptions.values():
                customer = self.store.customers.get(sub["customer"])
                if customer is None or (customer.get("test_clock") or None) != clock_id:
                    continue
                action = self._next_action(sub)
                if action and action[0] <= target and (best is None or action < best[0]):
                    best = (action, sub, customer)
            if best is None:
                break
            (when, _, kind), sub, customer = best
            getattr(self, "_do_" + kind)(sub, customer, when)
            steps += 1
        return steps

    def _do_trial_will_end(self, sub: dict, customer: dict, at: int) -> None:
        self._sub_state(sub["id"])["twe_sent"] = True
        self.emit("customer.subscription.trial_will_end", sub, at)

    def _do_cancel(self, sub: dict, customer: dict, at: int) -> None:
        self.cancel_now(
            sub,
            at,
            reason="cancellation_requested",
            comment=sub["cancellation_details"].get("comment"),
        )

    def _do_renew(self, sub: dict, customer: dict, at: int) -> None:
        prev = {"items": copy.deepcopy(sub["items"]), "latest_invoice": sub["latest_invoice"]}
        old_start = sub["items"]["data"][0]["current_period_start"]
        anchor = sub["billing_cycle_anchor"]
        for item in sub["items"]["data"]:
            rec = item["price"]["recurring"] or {"interval": "month", "interval_count": 1}
            item["current_period_start"] = at
            item["current_period_end"] = _next_boundary(anchor, at, rec)
        end = sub["items"]["data"][0]["current_period_end"]
        if sub["status"] == "trialing":
            prev["status"] = "trialing"
            sub["status"] = "active"
        inv = self._new_invoice(sub, customer, "subscription_cycle", at, end, at, (old_start, at))
        sub["latest_invoice"] = inv["id"]
        self.emit("customer.subscription.updated", sub, at, prev)
        self.emit("invoice.created", inv, at)
        self._finalize(inv, customer, at)
        self._collect(sub, customer, inv, at, first=True)

    def _collect(self, sub: dict, customer: dict, inv: dict, at: int, first: bool) -> None:
        state = self._sub_state(sub["id"])
        if inv["amount_due"] == 0 or self._charge_ok(sub, customer):
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
        if next_attempt is None:
            state.pop("retry", None)
            if self.failed_payment_policy == "cancel":
                self.cancel_now(sub, at, reason="payment_failed")
            else:
                self._set_status(sub, "unpaid", at)
        else:
            self._set_status(sub, "past_due", at)

    def _do_retry(self, sub: dict, customer: dict, at: int) -> None:
        inv = self.store.invoices[self._sub_state(sub["id"])["retry"]["invoice"]]
        self._collect(sub, customer, inv, at, first=False)

    # -- checkout sessions ----------------------------------------------------------------

    def expire_sessions(self, target: int) -> None:
        for session in list(self.store.checkout_sessions.values()):
            if session["status"] == "open" and session["expires_at"] <= target:
                self.expire_session(session, session["expires_at"])

    def expire_session(self, session: dict, at: int) -> None:
        session["status"] = "expired"
        session["url"] = None
        self.emit("checkout.session.expired", session, at)


def complete_checkout(
    billing: Billing, session: dict, email: str | None, card_number: str | None
) -> None:
    """Pay a hosted checkout session (store lock held). Raises CardError on a bad card;
    in that case nothing has been created."""
    store = billing.store
    number = normalise_card(card_number)
    if number in DECLINED_AT_ONCE:
        raise CardError(DECLINED_AT_ONCE[number])
    trial_days = session.get("_trial_days")
    if number == CARD_FAIL_CHARGES and not trial_days:
        raise CardError("Your card was declined.")
    customer = store.customers.get(session["customer"] or "")
    email = (customer or {}).get("email") or session.get("customer_email") or email
    if not email or "@" not in email:
        raise CardError("Please enter a valid e-mail address.")
    at = billing.now_for_customer(customer)
    if customer is None:
        customer = objects.customer(at, email=email)
        store.customers[customer["id"]] = customer
        billing.emit("customer.created", customer, at)
    pm = billing.attach_card(customer, number, at)
    sub, inv = billing.start_subscription(
        customer,
        session["_line_items"],
        trial_days,
        session.get("_subscription_metadata") or {},
        pm["id"],
        at,
    )
    session.update(
        status="complete",
        payment_status="no_payment_required" if trial_days else "paid",
        customer=customer["id"],
        subscription=sub["id"],
        invoice=None,
        customer_details={
            "address": None,
            "business_name": None,
            "email": email,
            "individual_name": None,
            "name": customer.get("name"),
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
    )
    if trial_days:
        session["amount_subtotal"] = session["amount_total"] = 0
    billing.emit("checkout.session.completed", session, at)
