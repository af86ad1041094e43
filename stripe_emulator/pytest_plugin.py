"""pytest plugin: the one local Stripe emulator of a test session, for the emulator's own tests
and the hub's alike (the project's ``conftest.py`` loads it through ``pytest_plugins``).

``stripe_emulator`` is the session's emulator; a test's ``emu`` fixture (the emulator's tests
and the hub's each define one) starts from ``fresh(stripe_emulator)`` and ends with
``settle(...)``. ``emulator_request`` drives the hosted pages and ``/_emulator`` helpers over
plain HTTP, as a browser or ``curl`` would.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from .server import EmulatorServer

WEBHOOK_SECRET = "whsec_test"  # the hub's test settings use the same signing secret
API_KEY = "sk_test_emulator"


def start_emulator(**options: Any) -> EmulatorServer:
    """A started emulator with the tests' defaults (webhooks off until a test sets a URL;
    webhook retries on a compressed back-off); ``options`` override them."""
    settings: dict[str, Any] = {
        "port": 0,
        "webhook_url": None,
        "webhook_secret": WEBHOOK_SECRET,
        "retry_base_delay": 0.05,
        "max_webhook_attempts": 4,
        **options,
    }
    return EmulatorServer(**settings).start()


def fresh(server: EmulatorServer, timeout: float = 5.0) -> EmulatorServer:
    """The emulator emptied for a new test: no webhook URL, nothing left in flight, no
    objects, failed payments cancelling the subscription."""
    server.set_webhook_url(None)
    server.wait_for_webhooks(timeout=timeout)
    server.reset()
    server.billing.failed_payment_policy = "cancel"
    return server


def settle(server: EmulatorServer, timeout: float = 5.0) -> None:
    """After a test: stop sending webhooks and let the deliveries under way finish."""
    server.set_webhook_url(None)
    server.wait_for_webhooks(timeout=timeout)


@pytest.fixture(scope="session")
def stripe_emulator() -> Iterator[EmulatorServer]:
    server = start_emulator()
    yield server
    server.stop()


def emulator_request(
    emu: EmulatorServer,
    method: str,
    url: str,
    data: dict[str, Any] | str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    """Plain HTTP to the emulator (no redirects followed, no proxies): ``url`` is a full URL
    or a path; ``data`` a form (dict) or a raw body. Returns (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    body = urllib.parse.urlencode(data, doseq=True) if isinstance(data, dict) else data
    sent = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    sent.update(headers or {})
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    raw = response.read().decode()
    conn.close()
    return response.status, dict(response.getheaders()), raw
