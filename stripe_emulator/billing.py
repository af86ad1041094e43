"""Subscription / invoice lifecycle, test cards, events and clock processing.

Every public method must be called with ``store.lock`` held.
"""

from __future__ import annotations

import copy

from . import objects
from .objects import add_interval
from .params import ParamError

DAY = 86400

# Test cards (digits only).
CARD_OK = "4242424242424242"
CARD_FAIL_CHARGES = "4000000000000341"  # attaches, every charge fails
CARD_3DS_ALWAYS = "4000002760003184"  # 3-D Secure on setup and on every charge
CARD_3DS_SETUP = "4000002500003155"  # 3-D Secure on setup only; off-session charges pass
AUTH_CARDS = {CARD_3DS_ALWAYS: "always", CARD_3DS_SETUP: "setup"}
AUTH_FAILED = (
    "We are unable to authenticate your payment method. Please choose a different payment "
    "method and try again."
)
# Smart Retries' default: up to 8 attempts (the first + 7 retries) within 2 weeks.
SMART_RETRY_DAYS = (2, 4, 6, 8, 10, 12, 14)
DRAFT_DELAY = 3600  # renewal invoices stay draft for about an hour
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
        self,
        store,
        dispatcher,
        failed_payment_policy: str = "cancel",
        retry_days=SMART_RETRY_DAYS,
        draft_delay: int = DRAFT_DELAY,
    ):
        if failed_payment_policy not in ("cancel", "unpaid"):
            raise ValueError("failed_payment_policy must be 'cancel' or 'unpaid'")
        self.store = store
        self.dispatcher = dispatcher
        self.failed_payment_policy = failed_payment_policy
        self.retry_days = tuple(retry_days)
        self.draft_delay = int(draft_delay)
        self.public_url = ""  # the emulator's base URL, for hosted_invoice_url

    # -- events ----------------------------------------------------------------

    def emit(self, event_type: str, obj: dict, at: int, previous: dict | None = None) -> dict:
        evt = objects.event(event_type, obj, at, previous, 0)
        self.store.events[evt["id"]] = evt
        self.dispatcher.enqueue(evt)  # one delivery per destination; sets pending_webhooks
        return evt

    def seed_portal_configuration(self) -> dict:
        """The default customer portal configuration an account saved in the Dashboard has.
        Until it is updated through the API it also keeps the emulator's historical portal
        actions (both cancel modes), so flows written before configurations keep working."""
        conf = objects.portal_configuration(self.store.now(), is_default=True)
        conf["_legacy_actions"] = True
        self.store.portal_configurations[conf["id"]] = conf
        return conf

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
        if number in AUTH_CARDS:
            self.store.internal.setdefault("auth_cards", {})[pm["id"]] = AUTH_CARDS[number]
        self.emit("payment_method.attached", pm, at)
        return pm

    def _payment_method_for(self, sub: dict, customer: dict) -> dict | None:
        pm_id = sub.get("default_payment_method") or (
            customer["invoice_settings"].get("default_payment_method")
        )
        return self.store.payment_methods.get(pm_id or "")

    def _attempt_payment(
        self, inv: dict, sub: dict, customer: dict, at: int, authenticated: bool = False
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

    def _invoice_payment_intent(self, inv: dict, customer: dict, at: int) -> dict:
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
        sub: dict,
        customer: dict,
        reason: str,
        line_start: int,
        line_end: int,
        at: int,
        invoice_period: tuple[int, int],
        amount_override: int | None = None,
        include_pending: bool = True,
        with_items: bool = True,
    ) -> dict:
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

    def _add_pending_items(self, inv: dict, sub: dict) -> None:
        """Move the subscription's pending (proration) invoice items onto ``inv``."""
        for ii in self.store.invoice_items.values():
            if ii["invoice"] is None and (
                ii["parent"]["subscription_details"]["subscription"] == sub["id"]
            ):
                ii["invoice"] = inv["id"]
                inv["lines"]["data"].append(proration_line(inv["id"], sub, ii))
        self._totals(inv)

    def _totals(self, inv: dict) -> None:
        total = sum(line["amount"] for line in inv["lines"]["data"])
        inv["lines"]["total_count"] = len(inv["lines"]["data"])
        for key in ("subtotal", "subtotal_excluding_tax", "total", "total_excluding_tax"):
            inv[key] = total
        inv["amount_due"] = inv["amount_remaining"] = max(total, 0)

    def _apply_balance(self, inv: dict, customer: dict, at: int) -> None:
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

    def _finalize(self, inv: dict, customer: dict, at: int) -> None:
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

    def _mark_paid(self, inv: dict, at: int) -> None:
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
        # The customer is on the checkout page: any 3-D Secure step is already done.
        self._attempt_payment(inv, sub, customer, at, authenticated=True)
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
                and self._attempt_payment(inv, sub, customer, at, authenticated=True) == "succeeded"
            ):
                self.pay_invoice_now(inv, sub, at)
        return pm

    def pay_invoice_now(self, inv: dict, sub: dict | None, at: int) -> None:
        """Book a successful payment of an open invoice (the charge already succeeded)."""
        self._mark_paid(inv, at)
        if sub is not None:
            self._sub_state(sub["id"]).pop("retry", None)
            if sub["status"] in ("past_due", "unpaid", "incomplete"):
                self._set_status(sub, "active", at)

    # -- plan changes (proration) ---------------------------------------------------------

    def _proration_specs(
        self, sub: dict, item: dict, new_price: dict, quantity: int, at: int, credit_only=False
    ) -> list[dict]:
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
    def same_interval(a: dict, b: dict) -> bool:
        ra, rb = a.get("recurring") or {}, b.get("recurring") or {}
        return (ra.get("interval"), ra.get("interval_count")) == (
            rb.get("interval"),
            rb.get("interval_count"),
        )

    def change_price(
        self,
        sub: dict,
        customer: dict,
        item: dict,
        new_price: dict,
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
            ii = objects.invoice_item(
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
        sub: dict,
        customer: dict,
        change: tuple[dict, dict, int] | None,
        behavior: str,
        at: int,
        proration_date: int | None = None,
    ) -> dict:
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
            ii = objects.invoice_item(
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

    # -- hosted invoice page and portal --------------------------------------------------

    def authenticate_invoice(self, inv: dict, result: str, at: int) -> bool:
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
        if self._attempt_payment(inv, sub, customer, at, authenticated=True) != "succeeded":
            return False
        self.pay_invoice_now(inv, sub, at)
        return True

    def pay_invoice_with_card(self, inv: dict, number: str, at: int) -> bool:
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

    def cancel_with_proration(self, sub: dict, customer: dict, at: int) -> None:
        """Cancel now and credit the unused time to the customer's balance (the portal's
        ``subscription_cancel.proration_behavior = create_prorations``)."""
        item = sub["items"]["data"][0]
        specs = self._proration_specs(sub, item, item["price"], item["quantity"], at, True)
        self.cancel_now(sub, at)
        if not specs:
            return
        spec = specs[0]
        ii = objects.invoice_item(
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
        self.store.invoice_items[ii["id"]] = ii
        self.emit("invoiceitem.created", ii, at)
        inv = self._new_invoice(
            sub, customer, "subscription_update", at, at, at, (at, at), with_items=False
        )
        self.emit("invoice.created", inv, at)
        self._finalize(inv, customer, at)
        self._mark_paid(inv, at)

    # -- refunds and disputes ---------------------------------------------------------------

    def refund_charge(
        self, ch: dict, amount: int | None, reason: str | None, metadata: dict, at: int
    ) -> dict:
        """Refund (part of) a succeeded charge: ``charge.refunded`` then ``refund.created``.
        Raises ParamError like Stripe for an over-refund, a refunded or a disputed charge."""
        from .api_billing import StripeInvalid  # noqa: PLC0415 - avoid an import cycle

        if ch["status"] != "succeeded":
            raise StripeInvalid(f"Charge {ch['id']} has not succeeded; it cannot be refunded.")
        if ch["disputed"]:
            raise ParamError(
                f"Charge {ch['id']} has been charged back; cannot issue a refund.",
                None,
                "charge_disputed",
            )
        remaining = ch["amount"] - ch["amount_refunded"]
        if remaining <= 0:
            raise ParamError(
                f"Charge {ch['id']} has already been refunded.", None, "charge_already_refunded"
            )
        if amount is None:
            amount = remaining
        if amount < 1:
            raise ParamError("Invalid positive integer", "amount", "parameter_invalid_integer")
        if amount > remaining:
            raise ParamError(
                f"Refund amount ({objects.money(amount, ch['currency'])}) is greater than "
                f"unrefunded amount on charge ({objects.money(remaining, ch['currency'])})",
                "amount",
                "amount_too_large",
            )
        re_ = objects.refund(ch, amount, reason, metadata, at)
        self.store.refunds[re_["id"]] = re_
        prev = {"amount_refunded": ch["amount_refunded"], "refunded": ch["refunded"]}
        ch["amount_refunded"] += amount
        ch["refunded"] = ch["amount_refunded"] >= ch["amount"]
        ch["refunds"]["data"].insert(0, objects.public(re_))
        ch["refunds"]["data"] = ch["refunds"]["data"][:10]
        self.emit("charge.refunded", ch, at, prev)
        self.emit("refund.created", re_, at)
        return re_

    def open_dispute(self, ch: dict, amount: int | None, reason: str, at: int) -> dict:
        """The cardholder disputes a charge: ``charge.dispute.created``."""
        from .api_billing import StripeInvalid  # noqa: PLC0415 - avoid an import cycle

        if ch["status"] != "succeeded":
            raise StripeInvalid(f"Charge {ch['id']} has not succeeded; it cannot be disputed.")
        if ch["disputed"]:
            raise StripeInvalid(f"Charge {ch['id']} is already disputed.")
        amount = ch["amount"] - ch["amount_refunded"] if amount is None else amount
        if not 1 <= amount <= ch["amount"] - ch["amount_refunded"]:
            raise ParamError("amount must be between 1 and the unrefunded amount.", "amount")
        dp = objects.dispute(ch, amount, reason, at)
        pm = self.store.payment_methods.get(ch.get("payment_method") or "")
        if pm:
            dp["payment_method_details"]["card"]["brand"] = pm["card"]["brand"]
            dp["payment_method_details"]["card"]["network"] = pm["card"]["brand"]
        self.store.disputes[dp["id"]] = dp
        ch["disputed"] = True
        self.emit("charge.dispute.created", dp, at)
        return dp

    def close_dispute(self, dp: dict, outcome: str, at: int) -> dict:
        """The dispute ends ``won`` or ``lost``: ``charge.dispute.closed``."""
        from .api_billing import StripeInvalid  # noqa: PLC0415 - avoid an import cycle

        if dp["status"] in ("won", "lost"):
            raise StripeInvalid(f"This dispute is already closed ({dp['status']}).")
        prev = {"status": dp["status"]}
        dp["status"] = outcome
        dp["is_charge_refundable"] = False
        dp["evidence_details"]["due_by"] = None
        self.emit("charge.dispute.closed", dp, at, prev)
        return dp

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
        draft = state.get("draft")
        if draft:
            candidates.append((draft["at"], 1, "finalize"))
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
        if self.draft_delay > 0:
            # As in Stripe: the renewal invoice stays draft for about an hour, then it is
            # finalized and charged.
            inv["automatically_finalizes_at"] = at + self.draft_delay
            self._sub_state(sub["id"])["draft"] = {
                "invoice": inv["id"],
                "at": at + self.draft_delay,
            }
            self.emit("invoice.created", inv, at)
            return
        self.emit("invoice.created", inv, at)
        self._finalize(inv, customer, at)
        self._collect(sub, customer, inv, at, first=True)

    def _do_finalize(self, sub: dict, customer: dict, at: int) -> None:
        draft = self._sub_state(sub["id"]).pop("draft")
        inv = self.store.invoices[draft["invoice"]]
        if inv["status"] != "draft":
            return
        self._add_pending_items(inv, sub)  # prorations made during the draft hour
        self._finalize(inv, customer, at)
        self._collect(sub, customer, inv, at, first=True)

    def _collect(self, sub: dict, customer: dict, inv: dict, at: int, first: bool) -> None:
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


def proration_line(invoice_id: str, sub: dict, ii: dict) -> dict:
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


class AuthenticationRequired(Exception):
    """The card needs a 3-D Secure step before it can be used (on-session)."""


def check_authentication(number: str, authenticate: str | None) -> None:
    """On-session use of a 3-D Secure test card (checkout, card update, hosted invoice
    page): both 3184 and 3155 ask for authentication when a card is set up."""
    if number not in AUTH_CARDS or authenticate == "complete":
        return
    if authenticate == "fail":
        raise CardError(AUTH_FAILED)
    raise AuthenticationRequired(number)


def complete_checkout(
    billing: Billing,
    session: dict,
    email: str | None,
    card_number: str | None,
    authenticate: str | None = None,
) -> None:
    """Pay a hosted checkout session (store lock held). Raises CardError on a bad card or a
    failed 3-D Secure step, AuthenticationRequired when the card needs one; in those cases
    nothing has been created."""
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
    check_authentication(number, authenticate)
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
