"""Clock processing: trial ends, renewals, draft finalization, payment retries and
scheduled cancellations due by a time; checkout session expiry."""

from __future__ import annotations

import copy

from ..stripe_types import StripeObject
from .base import DAY, _next_boundary
from .subscriptions import Subscriptions


class Clock(Subscriptions):
    # -- clock processing -------------------------------------------------------------

    def _next_action(self, sub: StripeObject) -> tuple[int, int, str] | None:
        if sub["status"] not in ("trialing", "active", "past_due"):
            return None
        state = self._sub_state(sub["id"])
        candidates: list[tuple[int, int, str]] = []
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

    def _do_trial_will_end(self, sub: StripeObject, customer: StripeObject, at: int) -> None:
        self._sub_state(sub["id"])["twe_sent"] = True
        self.emit("customer.subscription.trial_will_end", sub, at)

    def _do_cancel(self, sub: StripeObject, customer: StripeObject, at: int) -> None:
        self.cancel_now(
            sub,
            at,
            reason="cancellation_requested",
            comment=sub["cancellation_details"].get("comment"),
        )

    def _do_renew(self, sub: StripeObject, customer: StripeObject, at: int) -> None:
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

    def _do_finalize(self, sub: StripeObject, customer: StripeObject, at: int) -> None:
        draft = self._sub_state(sub["id"]).pop("draft")
        inv = self.store.invoices[draft["invoice"]]
        if inv["status"] != "draft":
            return
        self._add_pending_items(inv, sub)  # prorations made during the draft hour
        self._finalize(inv, customer, at)
        self._collect(sub, customer, inv, at, first=True)

    def _do_retry(self, sub: StripeObject, customer: StripeObject, at: int) -> None:
        inv = self.store.invoices[self._sub_state(sub["id"])["retry"]["invoice"]]
        self._collect(sub, customer, inv, at, first=False)

    # -- checkout sessions ----------------------------------------------------------------

    def expire_sessions(self, target: int) -> None:
        for session in list(self.store.checkout_sessions.values()):
            if session["status"] == "open" and session["expires_at"] <= target:
                self.expire_session(session, session["expires_at"])

    def expire_session(self, session: StripeObject, at: int) -> None:
        session["status"] = "expired"
        session["url"] = None
        self.emit("checkout.session.expired", session, at)
