"""The emulator server: its state, lifecycle and the controls tests use (time, webhooks,
reset, events); requests are handled by :mod:`stripe_emulator.http_handler`."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from http.server import ThreadingHTTPServer

from .api import Api
from .billing import (
    DRAFT_DELAY,
    SMART_RETRY_DAYS,
    Billing,
)
from .http_handler import Handler
from .store import Store
from .stripe_types import StripeObject
from .webhooks import WebhookDispatcher


class EmulatorServer:
    """A stateful Stripe emulator. ``start()`` serves it from a background thread."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_url: str | None = None,
        webhook_secret: str = "whsec_emulator",  # noqa: S107
        state_file: str | None = None,
        failed_payment_policy: str = "cancel",
        retry_base_delay: float = 1.0,
        max_webhook_attempts: int = 5,
        payment_retry_days: Iterable[int] = SMART_RETRY_DAYS,
        verbose: bool = False,
        draft_invoice_delay: int = DRAFT_DELAY,
        default_portal_configuration: bool = True,
        chaos: bool = False,
        chaos_seed: int | None = None,
        chaos_workers: int = 4,
    ) -> None:
        self.host = host
        self.port = port
        self.verbose = verbose
        self.store = Store(state_file)
        self.dispatcher = WebhookDispatcher(
            self.store,
            webhook_secret,
            webhook_url or None,
            retry_base_delay,
            max_webhook_attempts,
            chaos=chaos,
            chaos_seed=chaos_seed,
            chaos_workers=chaos_workers,
        )
        self.billing = Billing(
            self.store,
            self.dispatcher,
            failed_payment_policy,
            payment_retry_days,
            draft_invoice_delay,
        )
        self.default_portal_configuration = default_portal_configuration
        if not self.store.portal_configurations and default_portal_configuration:
            self.billing.seed_portal_configuration()
        self.api = Api(self.store, self.billing)
        self.httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------

    def bind(self) -> None:
        if self.httpd is None:
            handler = type("Handler", (Handler,), {"emulator": self})
            self.httpd = ThreadingHTTPServer((self.host, self.port), handler)
            self.httpd.daemon_threads = True
            self.port = self.httpd.server_address[1]
            self.billing.public_url = self.url
            self.dispatcher.start()

    def _bound(self) -> ThreadingHTTPServer:
        self.bind()
        assert self.httpd is not None
        return self.httpd

    def start(self) -> EmulatorServer:
        httpd = self._bound()
        self._thread = threading.Thread(
            target=httpd.serve_forever, name="stripe-emulator-http", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        httpd = self._bound()
        try:
            httpd.serve_forever()
        finally:
            self.stop()

    def stop(self) -> None:
        if self.httpd is not None:
            if self._thread is not None:
                self.httpd.shutdown()
                self._thread.join(timeout=5)
            self.httpd.server_close()
            self.httpd = None
        self.dispatcher.stop()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- control -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "", "::") else self.host
        return f"http://{host}:{self.port}"

    @property
    def webhook_url(self) -> str | None:
        return self.dispatcher.url

    def set_webhook_url(self, url: str | None) -> None:
        self.dispatcher.url = url or None

    def now(self) -> int:
        return self.store.now()

    def advance(self, seconds: int) -> int:
        """Move the global clock forward, processing subscriptions of customers without a
        test clock and expiring checkout sessions. Returns the new time."""
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        with self.store.lock:
            self.store.clock_offset += int(seconds)
            target = self.store.now()
            self.billing.process(target, None)
            self.billing.expire_sessions(target)
            self.store.save()
            return target

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        """Block until every queued event is delivered or given up. False on timeout."""
        return self.dispatcher.wait_idle(timeout)

    def resend(self, event_ids: list[str] | None = None) -> int:
        """Queue stored events again for delivery to today's destinations (like
        ``stripe events resend``); all of them when ``event_ids`` is None. Returns how many."""
        with self.store.lock:
            events = [
                e for e in self.store.events.values() if event_ids is None or e["id"] in event_ids
            ]
            for event in events:
                self.dispatcher.enqueue(event)
            return len(events)

    def reset(self, default_portal_configuration: bool | None = None) -> None:
        """Clear all state. The account starts with a default customer portal configuration
        (as one saved in the Dashboard) unless ``default_portal_configuration`` is False
        (None: the constructor's choice)."""
        if default_portal_configuration is None:
            default_portal_configuration = self.default_portal_configuration
        with self.store.lock:
            self.dispatcher.clear()
            self.store.reset()
            if default_portal_configuration:
                self.billing.seed_portal_configuration()
            self.store.save()

    def events(self, type: str | None = None) -> list[StripeObject]:
        """Stored events, oldest first (a convenience for tests)."""
        with self.store.lock:
            evts = [json.loads(json.dumps(e)) for e in self.store.events.values()]
        return [e for e in evts if type is None or e["type"] == type]

    def event_types(self) -> list[str]:
        return [e["type"] for e in self.events()]
