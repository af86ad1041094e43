"""Events and test clocks."""

from __future__ import annotations

import re

from .. import objects
from ..params import ParamError, get_int, get_list, get_str
from ..stripe_types import Params, StripeObject
from .base import ApiBase


class ClocksApi(ApiBase):
    # -- events ------------------------------------------------------------------------------

    def event_list(self, params: Params) -> StripeObject:
        items = list(self.store.events.values())
        types = get_list(params, "types")
        if get_str(params, "type"):
            pattern = re.escape(params["type"]).replace(r"\*", ".*")
            items = [e for e in items if re.fullmatch(pattern, e["type"])]
        elif types:
            items = [e for e in items if e["type"] in types]
        created = params.get("created")
        if isinstance(created, dict):
            ops = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
            for op, fn in ops.items():
                bound = get_int(created, op)
                if bound is not None:
                    items = [e for e in items if fn(e["created"], bound)]
        return self.paginate(items, params, "/v1/events")

    # -- test clocks ---------------------------------------------------------------------------

    def clock_create(self, params: Params) -> StripeObject:
        frozen = get_int(params, "frozen_time", required=True)
        now = self.store.now()
        clock = objects.test_clock(frozen, get_str(params, "name"), now)
        self.store.test_clocks[clock["id"]] = clock
        self.billing.emit("test_helpers.test_clock.created", clock, frozen)
        return clock

    def clock_list(self, params: Params) -> StripeObject:
        return self.paginate(
            list(self.store.test_clocks.values()), params, "/v1/test_helpers/test_clocks"
        )

    def clock_delete(self, params: Params, id: str) -> StripeObject:
        clock = self.get("test_clocks", id)
        for cust_id in [c["id"] for c in self.store.customers.values() if c["test_clock"] == id]:
            del self.store.customers[cust_id]
            for sub_id in [
                s["id"] for s in self.store.subscriptions.values() if s["customer"] == cust_id
            ]:
                del self.store.subscriptions[sub_id]
        del self.store.test_clocks[id]
        self.billing.emit("test_helpers.test_clock.deleted", clock, clock["frozen_time"])
        return {"id": id, "object": "test_helpers.test_clock", "deleted": True}

    def _clock_advance_limit(self, clock: StripeObject) -> int | None:
        """Stripe: a clock advances at most two billing intervals (the shortest among its
        live subscriptions) at a time. None when it has no live subscription."""
        customers = {
            c["id"] for c in self.store.customers.values() if c["test_clock"] == clock["id"]
        }
        limits = []
        for sub in self.store.subscriptions.values():
            if sub["customer"] not in customers or sub["status"] in (
                "canceled",
                "incomplete_expired",
            ):
                continue
            for item in sub["items"]["data"]:
                rec = item["price"]["recurring"] or {"interval": "month", "interval_count": 1}
                limits.append(
                    objects.add_interval(
                        clock["frozen_time"], rec["interval"], 2 * rec["interval_count"]
                    )
                )
        return min(limits) if limits else None

    def clock_advance(self, params: Params, id: str) -> StripeObject:
        clock = self.get("test_clocks", id)
        target = get_int(params, "frozen_time", required=True)
        if target <= clock["frozen_time"]:
            raise ParamError(
                "The frozen_time must be after the test clock's current frozen_time.", "frozen_time"
            )
        limit = self._clock_advance_limit(clock)
        if limit is not None and target > limit:
            raise ParamError(
                "Cannot advance the test clock more than two intervals of its shortest "
                f"subscription interval past its frozen time ({clock['frozen_time']}); "
                f"the furthest allowed frozen_time is {limit}.",
                "frozen_time",
            )
        clock["status"] = "advancing"
        self.billing.emit("test_helpers.test_clock.advancing", clock, clock["frozen_time"])
        self.billing.process(target, id)
        clock["frozen_time"] = target
        clock["status"] = "ready"
        self.billing.emit("test_helpers.test_clock.ready", clock, target)
        return clock
