"""pytest fixtures that run the local Stripe emulator for the hub's tests (see conftest.py).

``stripe_emulator`` is one emulator per test session; ``emu`` resets it for a test and points
the hub's Stripe client at it (``settings.STRIPE_API_BASE``). Webhooks are not sent unless a
test sets a webhook URL: most tests fetch the emulator's events and deliver them to the hub
themselves with ``deliver``, which keeps them deterministic.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest

from stripe_emulator import EmulatorServer, sign

WEBHOOK_SECRET = "whsec_test"  # the same value as mintkit.settings.test


@pytest.fixture(scope="session")
def stripe_emulator():
    emu = EmulatorServer(
        port=0,
        webhook_url=None,
        webhook_secret=WEBHOOK_SECRET,
        retry_base_delay=0.05,
        max_webhook_attempts=4,
    )
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture
def emu(stripe_emulator, settings):
    """A clean emulator that the hub's Stripe client talks to."""
    stripe_emulator.set_webhook_url(None)
    stripe_emulator.wait_for_webhooks(timeout=5)
    stripe_emulator.reset()
    stripe_emulator.billing.failed_payment_policy = "cancel"
    settings.STRIPE_API_BASE = stripe_emulator.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    yield stripe_emulator
    stripe_emulator.set_webhook_url(None)
    stripe_emulator.wait_for_webhooks(timeout=5)


def emulator_request(emu, method: str, url: str, data: dict | None = None):
    """Plain HTTP to the emulator's hosted pages: (status, headers, body)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    body = urllib.parse.urlencode(data) if data else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    raw = response.read().decode()
    conn.close()
    return response.status, dict(response.getheaders()), raw


def signed_headers(payload: str, *, secret: str = WEBHOOK_SECRET, timestamp=None) -> dict:
    return {"HTTP_STRIPE_SIGNATURE": sign(payload, secret, timestamp)}


def post_event(client, event: dict, **sign_kwargs):
    """POST one event to the hub's webhook with a valid Stripe signature."""
    payload = json.dumps(event)
    return client.post(
        "/billing/webhook/",
        data=payload,
        content_type="application/json",
        **signed_headers(payload, **sign_kwargs),
    )


class Deliverer:
    """Delivers the emulator's stored events to the hub, in order, each once."""

    def __init__(self, emu, client):
        self.emu = emu
        self.client = client
        self.sent: set[str] = set()

    def __call__(self, *, types: list[str] | None = None) -> list:
        responses = []
        for event in self.emu.events():
            if event["id"] in self.sent or (types and event["type"] not in types):
                continue
            self.sent.add(event["id"])
            response = post_event(self.client, event)
            assert response.status_code == 200, (event["type"], response.content)
            responses.append(response)
        return responses


@pytest.fixture
def deliver(emu, client):
    """``deliver()`` sends every not-yet-sent emulator event to the hub's webhook."""
    return Deliverer(emu, client)
