"""Signed webhook delivery to the CLI webhook URL and to ``/v1/webhook_endpoints``.

Two modes:

* **orderly** (default): one worker delivers events in creation order; a failing delivery is
  retried with exponential back-off before the next one is sent (head-of-line, keeps order).
  Deterministic, what most tests want.
* **chaos** (``--chaos`` / ``EmulatorServer(chaos=True)``): what Stripe really promises —
  nothing about order. Several workers deliver concurrently; each delivery waits a random
  short delay (so events arrive out of order), some are sent twice (duplicates), and a non-2xx
  answer is retried on Stripe's back-off schedule without blocking other events.

Retries follow Stripe's sandbox behaviour ("three retries over a few hours", exponential) with
time compressed: attempt ``n`` fails → next attempt after ``base_delay × 2^(n-1)`` real
seconds, where ``base_delay`` stands for Stripe's first interval (about an hour), up to
``max_attempts`` attempts in all (Stripe's sandbox: 4).
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import itertools
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from email.message import Message
from typing import IO, TYPE_CHECKING, Any

from .stripe_types import StripeObject

if TYPE_CHECKING:
    from .store import Store

log = logging.getLogger("stripe_emulator.webhooks")

DEFAULT = "_default"  # the destination given by --webhook-url / set_webhook_url


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Stripe does not follow redirects from webhook endpoints: a 3xx is a failure."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


# No proxies (local endpoints) and no redirects.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header value for ``payload``.

    The timestamp is real wall-clock time: the SDK compares it with ``time.time()``.
    """
    t = int(time.time()) if timestamp is None else int(timestamp)
    mac = hmac.new(secret.encode(), f"{t}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def endpoint_wants(endpoint: StripeObject, event_type: str) -> bool:
    if endpoint.get("status") != "enabled":
        return False
    enabled = endpoint.get("enabled_events") or []
    return "*" in enabled or event_type in enabled


class WebhookDispatcher:
    def __init__(
        self,
        store: Store,
        secret: str,
        url: str | None = None,
        base_delay: float = 1.0,
        max_attempts: int = 5,
        timeout: float = 10.0,
        chaos: bool = False,
        chaos_seed: int | None = None,
        chaos_workers: int = 4,
        chaos_max_delay: float = 0.3,
        chaos_duplicate_rate: float = 0.3,
    ):
        self.store = store
        self.secret = secret
        self.url = url
        self.base_delay = base_delay
        self.max_attempts = max_attempts
        self.timeout = timeout
        self.chaos = chaos
        self.chaos_max_delay = chaos_max_delay
        self.chaos_duplicate_rate = chaos_duplicate_rate
        self._random = random.Random(chaos_seed)
        # log of attempts, oldest first (tests/debugging)
        self.deliveries: list[StripeObject] = []
        self._heap: list[
            tuple[Any, ...]
        ] = []  # (due, seq, generation, event_id, destination, attempt)
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._busy = 0
        self._stopped = False
        self._generation = 0
        self._delivered: set[tuple[str, str]] = set()
        workers = chaos_workers if chaos else 1
        self._threads = [
            threading.Thread(target=self._run, name=f"stripe-emulator-webhooks-{i}", daemon=True)
            for i in range(workers)
        ]

    # -- control -----------------------------------------------------------------

    def start(self) -> None:
        for thread in self._threads:
            if not thread.is_alive():
                thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout=self.timeout + 1)

    def clear(self) -> None:
        """Drop everything queued (used by reset)."""
        with self._cond:
            self._heap.clear()
            self._generation += 1
            self.deliveries = []
            self._delivered.clear()
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery is done or given up. False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._heap or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    # -- queueing (store lock held by the caller) -------------------------------------

    def destinations(self, event_type: str) -> list[str]:
        found = [DEFAULT] if self.url else []
        for endpoint in self.store.webhook_endpoints.values():
            if endpoint_wants(endpoint, event_type):
                found.append(endpoint["id"])
        return found

    def enqueue(self, event: StripeObject) -> None:
        """Queue ``event`` for every destination that wants it; sets ``pending_webhooks``."""
        targets = self.destinations(event["type"])
        event["pending_webhooks"] = len(targets)
        now = time.monotonic()
        with self._cond:
            for target in targets:
                copies = 1
                if self.chaos and self._random.random() < self.chaos_duplicate_rate:
                    copies = 2
                for _ in range(copies):
                    delay = self._random.uniform(0, self.chaos_max_delay) if self.chaos else 0
                    self._push(now + delay, event["id"], target, 1)
            self._cond.notify_all()

    def _push(self, due: float, event_id: str, target: str, attempt: int) -> None:
        item = (due, next(self._seq), self._generation, event_id, target, attempt)
        heapq.heappush(self._heap, item)

    # -- workers -----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped:
                    if self._heap and self._heap[0][0] <= time.monotonic():
                        break
                    wait = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(wait)
                if self._stopped:
                    return
                item = heapq.heappop(self._heap)
                self._busy += 1
            try:
                self._attempt(*item[2:])
            except Exception:  # pragma: no cover - never kill a worker
                log.exception("webhook delivery crashed")
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _resolve(self, target: str) -> tuple[str | None, str]:
        if target == DEFAULT:
            return self.url, self.secret
        with self.store.lock:
            endpoint = self.store.webhook_endpoints.get(target)
            if endpoint is None or endpoint.get("status") != "enabled":
                return None, ""  # deleted or disabled meanwhile: Stripe stops retrying
            return endpoint["url"], endpoint["_secret"]

    def _attempt(self, generation: int, event_id: str, target: str, attempt: int) -> None:
        while True:
            with self.store.lock:
                evt = self.store.events.get(event_id)
                payload = json.dumps(evt, indent=2) if evt else None
            url, secret = self._resolve(target)
            if payload is None or not url or generation != self._generation:
                return
            ok, status, error = self._post(url, payload, secret)
            with self._cond:
                if generation != self._generation:
                    return
                self.deliveries.append(
                    {
                        "event": event_id,
                        "endpoint": None if target == DEFAULT else target,
                        "attempt": attempt,
                        "status": status,
                        "error": error,
                        "url": url,
                    }
                )
            if ok:
                self._mark_delivered(event_id, target)
                return
            log.warning("webhook %s attempt %d failed: %s", event_id, attempt, error or status)
            if attempt >= self.max_attempts:
                return
            delay = self.base_delay * (2 ** (attempt - 1))
            attempt += 1
            if self.chaos:  # retry later, let other deliveries through meanwhile
                with self._cond:
                    self._push(time.monotonic() + delay, event_id, target, attempt)
                    self._cond.notify_all()
                return
            with self._cond:  # orderly: head-of-line, nothing else is sent meanwhile
                deadline = time.monotonic() + delay
                while not self._stopped and generation == self._generation:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
                if self._stopped or generation != self._generation:
                    return

    def _mark_delivered(self, event_id: str, target: str) -> None:
        with self.store.lock, self._cond:
            if (event_id, target) in self._delivered:
                return  # a chaos duplicate
            self._delivered.add((event_id, target))
            evt = self.store.events.get(event_id)
            if evt is not None and evt["pending_webhooks"] > 0:
                evt["pending_webhooks"] -= 1

    def _post(self, url: str, payload: str, secret: str) -> tuple[bool, int | None, str | None]:
        request = urllib.request.Request(
            url,
            data=payload.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Stripe-Signature": sign(payload, secret),
            },
        )
        try:
            with _OPENER.open(request, timeout=self.timeout) as resp:
                resp.read()
                return 200 <= resp.status < 300, resp.status, None
        except urllib.error.HTTPError as exc:
            return False, exc.code, None
        except (OSError, ValueError) as exc:
            return False, None, str(exc)
