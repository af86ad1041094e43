"""``/v1/webhook_endpoints`` and delivery to them; chaos delivery (points 7 and 8)."""

from __future__ import annotations

import collections
import json
import time

import pytest
import stripe

from stripe_emulator import EmulatorServer
from stripe_emulator.tests.conftest import API_KEY, Receiver


def test_crud_secret_shown_only_on_create(client):
    created = client.v1.webhook_endpoints.create(
        params={
            "url": "http://127.0.0.1:9/hook",
            "enabled_events": ["customer.created"],
            "api_version": "2026-10-28.endive",
            "description": "hub",
            "metadata": {"env": "test"},
        }
    )
    assert created.id.startswith("we_") and created.secret.startswith("whsec_")
    assert created.status == "enabled" and created.api_version == "2026-10-28.endive"
    fetched = client.v1.webhook_endpoints.retrieve(created.id)
    assert fetched.url == created.url and "secret" not in fetched
    updated = client.v1.webhook_endpoints.update(
        created.id, params={"enabled_events": ["*"], "disabled": True}
    )
    assert (updated.enabled_events, updated.status) == (["*"], "disabled")
    assert [e.id for e in client.v1.webhook_endpoints.list().data] == [created.id]
    assert client.v1.webhook_endpoints.delete(created.id).deleted is True
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.webhook_endpoints.retrieve(created.id)
    assert info.value.http_status == 404


def test_other_api_versions_and_unknown_events_are_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.webhook_endpoints.create(
            params={"url": "http://x.test/", "enabled_events": ["*"], "api_version": "2024-06-20"}
        )
    assert (info.value.param, info.value.code) == ("api_version", "api_version_not_supported")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.webhook_endpoints.create(
            params={"url": "http://x.test/", "enabled_events": ["customer.createdd"]}
        )
    assert info.value.param == "enabled_events[0]"
    assert client.v1.webhook_endpoints.list().data == []


def test_events_reach_each_endpoint_signed_with_its_secret_only_if_enabled(emu, client):
    wants_all, wants_products = Receiver(), Receiver()
    try:
        all_ep = client.v1.webhook_endpoints.create(
            params={"url": wants_all.url, "enabled_events": ["*"]}
        )
        prod_ep = client.v1.webhook_endpoints.create(
            params={"url": wants_products.url, "enabled_events": ["product.created"]}
        )
        client.v1.customers.create(params={"email": "a@example.com"})
        client.v1.products.create(params={"name": "P"})
        assert emu.wait_for_webhooks(timeout=10)
        assert [e["type"] for e in wants_all.delivered()] == [
            "customer.created",
            "product.created",
        ]
        assert [e["type"] for e in wants_products.delivered()] == ["product.created"]
        for receiver, endpoint in ((wants_all, all_ep), (wants_products, prod_ep)):
            for headers, body, _ in receiver.requests:
                event = stripe.Webhook.construct_event(
                    body, headers["Stripe-Signature"], endpoint.secret
                )
                assert event.api_version == "2026-10-28.endive"
        headers, body, _ = wants_products.requests[0]
        with pytest.raises(stripe.SignatureVerificationError):
            stripe.Webhook.construct_event(body, headers["Stripe-Signature"], all_ep.secret)
        events = client.v1.events.list().data
        assert all(e.pending_webhooks == 0 for e in events)
        # disabled endpoints get nothing
        client.v1.webhook_endpoints.update(prod_ep.id, params={"disabled": True})
        client.v1.products.create(params={"name": "Q"})
        assert emu.wait_for_webhooks(timeout=10)
        assert len(wants_products.requests) == 1 and len(wants_all.requests) == 3
    finally:
        wants_all.close()
        wants_products.close()


def test_cli_webhook_url_and_endpoints_together(emu, client, receiver):
    other = Receiver()
    try:
        client.v1.webhook_endpoints.create(params={"url": other.url, "enabled_events": ["*"]})
        client.v1.customers.create(params={"email": "a@example.com"})
        assert emu.wait_for_webhooks(timeout=10)
        assert len(receiver.delivered()) == 1 and len(other.delivered()) == 1
        assert client.v1.events.list().data[0].pending_webhooks == 0
    finally:
        other.close()


@pytest.fixture
def chaos_emu():
    emu = EmulatorServer(
        port=0, webhook_secret="whsec_chaos", retry_base_delay=0.02, chaos=True, chaos_seed=7
    )
    emu.start()
    yield emu
    emu.stop()


def test_chaos_delivers_out_of_order_duplicated_concurrently(chaos_emu):
    receiver = Receiver()
    try:
        chaos_emu.set_webhook_url(receiver.url)
        client = stripe.StripeClient(
            API_KEY, base_addresses={"api": chaos_emu.url}, max_network_retries=0
        )
        for i in range(30):
            client.v1.customers.create(params={"email": f"c{i}@example.com"})
        assert chaos_emu.wait_for_webhooks(timeout=20)
        created = [e["id"] for e in chaos_emu.events()]
        got = [json.loads(b)["id"] for _, b, _ in receiver.requests]
        assert set(got) == set(created)  # every event arrives
        assert got != created  # not in creation order
        assert len(got) > len(set(got))  # some more than once
        assert all(e["pending_webhooks"] == 0 for e in chaos_emu.events())
    finally:
        receiver.close()


def test_chaos_retries_on_stripe_back_off_without_blocking_others(chaos_emu):
    receiver = Receiver()
    try:
        receiver.statuses = [500, 500]  # the first two deliveries fail
        chaos_emu.dispatcher.chaos_duplicate_rate = 0
        chaos_emu.set_webhook_url(receiver.url)
        client = stripe.StripeClient(
            API_KEY, base_addresses={"api": chaos_emu.url}, max_network_retries=0
        )
        started = time.monotonic()
        for i in range(5):
            client.v1.customers.create(params={"email": f"c{i}@example.com"})
        assert chaos_emu.wait_for_webhooks(timeout=20)
        attempts = collections.defaultdict(list)
        for d in chaos_emu.dispatcher.deliveries:
            attempts[d["event"]].append((d["attempt"], d["status"]))
        # Two failed attempts in all (one event may take both if its retry comes first), each
        # one retried with the next attempt number until it is delivered.
        assert len(attempts) == 5 and sum(len(a) for a in attempts.values()) == 7
        assert all([n for n, _ in a] == list(range(1, len(a) + 1)) for a in attempts.values())
        assert all(a[-1][1] == 200 for a in attempts.values())
        assert all(e["pending_webhooks"] == 0 for e in chaos_emu.events())
        assert time.monotonic() - started < 10
    finally:
        receiver.close()


def test_concurrent_deliveries_overlap(chaos_emu):
    """With several workers, a slow endpoint does not serialise deliveries."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    in_flight = {"now": 0, "max": 0}
    lock = threading.Lock()

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                in_flight["now"] += 1
                in_flight["max"] = max(in_flight["max"], in_flight["now"])
            time.sleep(0.2)
            with lock:
                in_flight["now"] -= 1
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        chaos_emu.set_webhook_url(f"http://127.0.0.1:{httpd.server_address[1]}/")
        client = stripe.StripeClient(
            API_KEY, base_addresses={"api": chaos_emu.url}, max_network_retries=0
        )
        for i in range(8):
            client.v1.customers.create(params={"email": f"c{i}@example.com"})
        assert chaos_emu.wait_for_webhooks(timeout=20)
        assert in_flight["max"] > 1
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_cli_chaos_flag_builds_a_chaos_dispatcher(monkeypatch):
    from stripe_emulator import __main__ as cli

    built = {}

    class Stub:
        def __init__(self, **kwargs):
            built.update(kwargs)
            self.url = "http://127.0.0.1:0"

        def bind(self):
            raise OSError("not listening in this test")

    monkeypatch.setattr(cli, "EmulatorServer", Stub)
    assert cli.main(["--chaos", "--chaos-seed", "5", "--webhook-url", "http://x.test/"]) == 1
    assert (built["chaos"], built["chaos_seed"], built["webhook_url"]) == (
        True,
        5,
        "http://x.test/",
    )
    assert EmulatorServer(port=0, chaos=True).dispatcher.chaos is True
    assert len(EmulatorServer(port=0, chaos=True).dispatcher._threads) > 1
