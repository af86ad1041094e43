"""Signed webhook delivery from a background worker thread, in event creation order."""

from __future__ import annotations

import collections
import hashlib
import hmac
import json
import logging
import threading
import time
import urllib.error
import urllib.request

log = logging.getLogger("stripe_emulator.webhooks")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Stripe does not follow redirects from webhook endpoints: a 3xx is a failure."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
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


class WebhookDispatcher:
    """Delivers queued events one after another; a failing event is retried with
    exponential back-off before the next one is sent (head-of-line, keeps order)."""

    def __init__(
        self,
        store,
        secret: str,
        url: str | None = None,
        base_delay: float = 1.0,
        max_attempts: int = 5,
        timeout: float = 10.0,
    ):
        self.store = store
        self.secret = secret
        self.url = url
        self.base_delay = base_delay
        self.max_attempts = max_attempts
        self.timeout = timeout
        self.deliveries: list[dict] = []  # log of attempts, newest last (for tests/debugging)
        self._queue: collections.deque = collections.deque()
        self._cond = threading.Condition()
        self._busy = False
        self._stopped = False
        self._generation = 0
        self._thread = threading.Thread(
            target=self._run, name="stripe-emulator-webhooks", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=self.timeout + 1)

    def enqueue(self, event_id: str) -> None:
        with self._cond:
            self._queue.append((self._generation, event_id))
            self._cond.notify_all()

    def clear(self) -> None:
        """Drop everything queued (used by reset)."""
        with self._cond:
            self._queue.clear()
            self._generation += 1
            self.deliveries = []
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            return True

    # -- worker ----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopped:
                    self._cond.wait()
                if self._stopped:
                    return
                generation, event_id = self._queue[0]
                self._busy = True
            try:
                self._deliver(generation, event_id)
            finally:
                with self._cond:
                    if self._queue and self._queue[0] == (generation, event_id):
                        self._queue.popleft()
                    self._busy = False
                    self._cond.notify_all()

    def _set_pending(self, event_id: str, value: int) -> None:
        with self.store.lock:
            evt = self.store.events.get(event_id)
            if evt is not None:
                evt["pending_webhooks"] = value

    def _deliver(self, generation: int, event_id: str) -> None:
        attempt = 0
        while True:
            with self.store.lock:
                evt = self.store.events.get(event_id)
                payload = json.dumps(evt, indent=2) if evt else None
            url = self.url
            if payload is None or not url:
                return
            attempt += 1
            ok, status, error = self._post(url, payload)
            self.deliveries.append(
                {
                    "event": event_id,
                    "attempt": attempt,
                    "status": status,
                    "error": error,
                    "url": url,
                }
            )
            if ok:
                self._set_pending(event_id, 0)
                return
            log.warning("webhook %s attempt %d failed: %s", event_id, attempt, error or status)
            if attempt >= self.max_attempts:
                return
            delay = self.base_delay * (2 ** (attempt - 1))
            with self._cond:
                deadline = time.monotonic() + delay
                while not self._stopped and generation == self._generation:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
                if self._stopped or generation != self._generation:
                    return

    def _post(self, url: str, payload: str):
        request = urllib.request.Request(
            url,
            data=payload.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                "Stripe-Signature": sign(payload, self.secret),
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
