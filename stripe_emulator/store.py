"""In-memory state of the emulator, guarded by one re-entrant lock, optionally persisted."""

from __future__ import annotations

import json
import os
import secrets
import string
import tempfile
import threading
import time
from typing import Any

from .stripe_types import Collection, StripeObject

_ALPHABET = string.ascii_letters + string.digits

# Collections held by the store, keyed by object id, in creation order.
COLLECTIONS = (
    "products",
    "prices",
    "customers",
    "payment_methods",
    "checkout_sessions",
    "subscriptions",
    "invoices",
    "events",
    "portal_sessions",
    "test_clocks",
    "payment_intents",
    "charges",
    "refunds",
    "disputes",
    "invoice_items",
    "invoice_payments",
    "portal_configurations",
    "webhook_endpoints",
)

# Which collection an id prefix lives in (used for expansion and lookups).
PREFIXES = {
    "prod_": "products",
    "price_": "prices",
    "cus_": "customers",
    "pm_": "payment_methods",
    "cs_": "checkout_sessions",
    "sub_": "subscriptions",
    "in_": "invoices",
    "evt_": "events",
    "bps_": "portal_sessions",
    "clock_": "test_clocks",
    "pi_": "payment_intents",
    "ch_": "charges",
    "re_": "refunds",
    "dp_": "disputes",
    "ii_": "invoice_items",
    "inpay_": "invoice_payments",
    "bpc_": "portal_configurations",
    "we_": "webhook_endpoints",
}


def new_id(prefix: str, length: int = 24) -> str:
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


class Store:
    """All emulator state. Every access from request threads happens under ``lock``."""

    products: Collection
    prices: Collection
    customers: Collection
    payment_methods: Collection
    checkout_sessions: Collection
    subscriptions: Collection
    invoices: Collection
    events: Collection
    portal_sessions: Collection
    test_clocks: Collection
    payment_intents: Collection
    charges: Collection
    refunds: Collection
    disputes: Collection
    invoice_items: Collection
    invoice_payments: Collection
    portal_configurations: Collection
    webhook_endpoints: Collection
    internal: dict[str, Any]
    clock_offset: int

    def __init__(self, state_file: str | None = None) -> None:
        self.lock = threading.RLock()
        self.state_file = state_file
        self.reset()
        if state_file and os.path.exists(state_file):
            self.load()

    # -- lifecycle ------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            for name in COLLECTIONS:
                setattr(self, name, {})
            self.clock_offset = 0
            # Emulator-private data that Stripe would never expose.
            self.internal = {
                "failing_pms": [],  # payment methods whose charges always fail
                "idempotency": {},  # key -> {"fingerprint", "status", "body"}
                "counters": {},  # invoice number counters per customer
                "sub_state": {},  # subscription id -> lifecycle bookkeeping
                "auth_cards": {},  # payment method id -> "always" | "setup" (3-D Secure)
            }

    def now(self) -> int:
        """The global simulated clock (real time moved forward by ``advance``)."""
        return int(time.time()) + self.clock_offset

    # -- lookups --------------------------------------------------------------

    def collection_for(self, obj_id: str) -> Collection | None:
        for prefix, name in PREFIXES.items():
            if obj_id.startswith(prefix):
                coll: Collection = getattr(self, name)
                return coll
        return None

    def lookup(self, obj_id: str) -> StripeObject | None:
        coll = self.collection_for(obj_id)
        return None if coll is None else coll.get(obj_id)

    # -- persistence ----------------------------------------------------------

    def snapshot(self) -> StripeObject:
        with self.lock:
            data: dict[str, Any] = {name: getattr(self, name) for name in COLLECTIONS}
            data["clock_offset"] = self.clock_offset
            data["internal"] = self.internal
            snapshot: StripeObject = json.loads(json.dumps(data))
            return snapshot

    def save(self) -> None:
        if not self.state_file:
            return
        with self.lock:
            payload = json.dumps(self.snapshot(), indent=1, sort_keys=False)
            directory = os.path.dirname(os.path.abspath(self.state_file))
            fd, tmp = tempfile.mkstemp(prefix=".stripe-emulator-", dir=directory)
            with os.fdopen(fd, "w") as fh:
                fh.write(payload)
            os.replace(tmp, self.state_file)

    def load(self) -> None:
        if not self.state_file:
            return
        with self.lock, open(self.state_file) as fh:
            data = json.load(fh)
            for name in COLLECTIONS:
                setattr(self, name, data.get(name, {}))
            self.clock_offset = int(data.get("clock_offset", 0))
            self.internal.update(data.get("internal", {}))
