"""The state every part of the billing engine shares: store, events, time, cards.

Every public method must be called with ``store.lock`` held.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import Store
    from ..webhooks import WebhookDispatcher

import copy

from .. import objects
from ..objects import add_interval
from ..stripe_types import StripeObject
from .cards import AUTH_CARDS, CARD_FAIL_CHARGES

DAY = 86400

# Smart Retries' default: up to 8 attempts (the first + 7 retries) within 2 weeks.
SMART_RETRY_DAYS = (2, 4, 6, 8, 10, 12, 14)
DRAFT_DELAY = 3600  # renewal invoices stay draft for about an hour


def _next_boundary(anchor: int, after: int, recurring: StripeObject) -> int:
    """The first billing boundary strictly after ``after`` (calendar steps from the anchor,
    so a subscription anchored on the 31st renews on the 28th/29th/30th/31st)."""
    k = 1
    while True:
        boundary = add_interval(anchor, recurring["interval"], recurring["interval_count"] * k)
        if boundary > after:
            return boundary
        k += 1


class BillingBase:
    def __init__(
        self,
        store: Store,
        dispatcher: WebhookDispatcher,
        failed_payment_policy: str = "cancel",
        retry_days: Iterable[int] = SMART_RETRY_DAYS,
        draft_delay: int = DRAFT_DELAY,
    ) -> None:
        if failed_payment_policy not in ("cancel", "unpaid"):
            raise ValueError("failed_payment_policy must be 'cancel' or 'unpaid'")
        self.store = store
        self.dispatcher = dispatcher
        self.failed_payment_policy = failed_payment_policy
        self.retry_days = tuple(retry_days)
        self.draft_delay = int(draft_delay)
        self.public_url = ""  # the emulator's base URL, for hosted_invoice_url

    # -- events ----------------------------------------------------------------

    def emit(
        self, event_type: str, obj: StripeObject, at: int, previous: StripeObject | None = None
    ) -> StripeObject:
        evt = objects.event(event_type, obj, at, previous, 0)
        self.store.events[evt["id"]] = evt
        self.dispatcher.enqueue(evt)  # one delivery per destination; sets pending_webhooks
        return evt

    def seed_portal_configuration(self) -> StripeObject:
        """The default customer portal configuration an account saved in the Dashboard has.
        Until it is updated through the API it also keeps the emulator's historical portal
        actions (both cancel modes), so flows written before configurations keep working."""
        conf = objects.portal_configuration(self.store.now(), is_default=True)
        conf["_legacy_actions"] = True
        self.store.portal_configurations[conf["id"]] = conf
        return conf

    # -- time --------------------------------------------------------------------

    def now_for_customer(self, customer: StripeObject | None) -> int:
        clock_id = customer.get("test_clock") if customer else None
        if clock_id and clock_id in self.store.test_clocks:
            frozen: int = self.store.test_clocks[clock_id]["frozen_time"]
            return frozen
        return self.store.now()

    def _sub_state(self, sub_id: str) -> StripeObject:
        state: StripeObject = self.store.internal["sub_state"].setdefault(sub_id, {})
        return state

    def _prev(self, sub: StripeObject, *keys: str) -> StripeObject:
        return {k: copy.deepcopy(sub[k]) for k in keys}

    # -- payment methods -------------------------------------------------------------

    def attach_card(self, customer: StripeObject, number: str, at: int) -> StripeObject:
        pm = objects.payment_method(number, customer["id"], customer.get("email"), at)
        self.store.payment_methods[pm["id"]] = pm
        if number == CARD_FAIL_CHARGES:
            self.store.internal["failing_pms"].append(pm["id"])
        if number in AUTH_CARDS:
            self.store.internal.setdefault("auth_cards", {})[pm["id"]] = AUTH_CARDS[number]
        self.emit("payment_method.attached", pm, at)
        return pm

    def _payment_method_for(self, sub: StripeObject, customer: StripeObject) -> StripeObject | None:
        pm_id = sub.get("default_payment_method") or (
            customer["invoice_settings"].get("default_payment_method")
        )
        return self.store.payment_methods.get(pm_id or "")
