"""pytest fixtures that run the local Stripe emulator for the hub's tests (see conftest.py).

``stripe_emulator`` is one emulator per test session (:mod:`stripe_emulator.pytest_plugin`,
shared with the emulator's own tests); ``emu`` resets it for a test and points the hub's
Stripe client at it (``settings.STRIPE_API_BASE``). Webhooks are not sent unless a test sets
a webhook URL: most tests fetch the emulator's events and deliver them to the hub themselves
with ``deliver``, which keeps them deterministic.
"""

from __future__ import annotations

import json

import pytest

from stripe_emulator import sign
from stripe_emulator.pytest_plugin import WEBHOOK_SECRET, emulator_request, fresh, settle

__all__ = ["WEBHOOK_SECRET", "emulator_request", "hub_emulator"]


def hub_emulator(server, settings, timeout: float = 5.0):
    """Fixture body: ``server`` fresh for a test, the hub's Stripe client pointed at it (the
    pytest-django ``settings`` fixture), settled afterwards. ``yield from`` it."""
    fresh(server, timeout)
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    yield server
    settle(server, timeout)


@pytest.fixture
def emu(stripe_emulator, settings):
    """A clean emulator that the hub's Stripe client talks to."""
    yield from hub_emulator(stripe_emulator, settings)


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
