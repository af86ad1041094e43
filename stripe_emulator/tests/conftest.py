"""Fixtures: the session's emulator (``stripe_emulator``, from
:mod:`stripe_emulator.pytest_plugin`; reset between tests), a Stripe client, a webhook
receiver, and helpers to drive the hosted pages over plain HTTP."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe

from stripe_emulator.pytest_plugin import API_KEY, emulator_request, fresh, settle
from stripe_emulator.pytest_plugin import WEBHOOK_SECRET as SECRET

__all__ = ["API_KEY", "SECRET"]


@pytest.fixture
def emu(stripe_emulator):
    yield fresh(stripe_emulator)
    settle(stripe_emulator)


@pytest.fixture
def client(emu):
    return stripe.StripeClient(API_KEY, base_addresses={"api": emu.url}, max_network_retries=0)


class Http:
    """Plain HTTP (no redirects followed, no proxies) against the emulator."""

    def __init__(self, emu):
        self.emu = emu

    def request(self, method, path, data=None, headers=None):
        return emulator_request(self.emu, method, path, data, headers)

    def api(self, method, path, data=None, key=API_KEY, headers=None):
        hdrs = {"Authorization": f"Bearer {key}"} if key else {}
        hdrs.update(headers or {})
        status, headers_, raw = self.request(method, path, data, hdrs)
        return status, headers_, json.loads(raw)


def start_session(client, price_id, quantity=None, **params):
    """A subscription-mode Checkout Session for one price (``quantity`` sent only when given:
    Stripe's default is 1); ``params`` add to or override the rest."""
    item = {"price": price_id} if quantity is None else {"price": price_id, "quantity": quantity}
    return client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "line_items": [item],
            "success_url": "http://hub.test/ok",
            **params,
        }
    )


def recurring_price(client, product_id, unit_amount, interval="month", currency="gbp", **params):
    """A recurring price of ``product_id`` (``interval``: day, week, month or year);
    ``params`` add to the rest."""
    return client.v1.prices.create(
        params={
            "product": product_id,
            "unit_amount": unit_amount,
            "currency": currency,
            "recurring": {"interval": interval},
            **params,
        }
    )


@pytest.fixture
def web(emu):
    return Http(emu)


class Receiver:
    """A tiny webhook endpoint recording (headers, body); answers ``statuses`` in turn."""

    def __init__(self):
        self.requests: list[tuple[dict, str]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                receiver.requests.append((dict(self.headers), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/billing/webhook/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def delivered(self) -> list[dict]:
        """Events answered with 2xx, in delivery order."""
        return [json.loads(b) for _, b, s in self.requests if 200 <= s < 300]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver(emu):
    rec = Receiver()
    emu.set_webhook_url(rec.url)
    yield rec
    emu.set_webhook_url(None)
    emu.wait_for_webhooks(timeout=5)
    rec.close()


@pytest.fixture
def plan(client):
    """A product with a monthly £9.00 price."""
    product = client.v1.products.create(params={"name": "Pro", "metadata": {"tier": "pro"}})
    return recurring_price(
        client, product.id, 900, lookup_key="pro_monthly", metadata={"plan": "pro"}
    )


@pytest.fixture
def checkout(client, web, plan):
    """``checkout(card=..., trial_days=..., **params)`` → (session, status, location, html)."""

    def run(card="4242 4242 4242 4242", trial_days=None, email="ada@example.com", **extra):
        params = {
            "mode": "subscription",
            "line_items": [{"price": plan.id, "quantity": 1}],
            "success_url": "http://hub.test/billing/success/?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": "http://hub.test/pricing/",
            "client_reference_id": "org_1",
            "metadata": {"org": "1"},
        }
        if email:
            params["customer_email"] = email
        if trial_days:
            params["subscription_data"] = {
                "trial_period_days": trial_days,
                "metadata": {"org": "1"},
            }
        params.update(extra)
        session = client.v1.checkout.sessions.create(params=params)
        path = urllib.parse.urlsplit(session.url).path
        status, headers, html = web.request("POST", path, {"card_number": card})
        session = client.v1.checkout.sessions.retrieve(session.id)
        return session, status, headers.get("Location"), html

    return run
