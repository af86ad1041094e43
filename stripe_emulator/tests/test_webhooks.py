import socket
import time

import pytest
import stripe

from stripe_emulator import sign
from stripe_emulator.tests.conftest import SECRET


def test_signed_delivery_in_order(emu, client, receiver, checkout):
    checkout(trial_days=30)
    assert emu.wait_for_webhooks(timeout=10)
    delivered = receiver.delivered()
    assert [e["type"] for e in delivered] == emu.event_types()
    for headers, body, _ in receiver.requests:
        event = stripe.Webhook.construct_event(body, headers["Stripe-Signature"], SECRET)
        assert event.id.startswith("evt_")
        assert headers["Content-Type"].startswith("application/json")
        t = int(headers["Stripe-Signature"].split(",")[0][2:])
        assert abs(t - time.time()) < 60  # real time, whatever the simulated clock says
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, headers["Stripe-Signature"], "whsec_other")
    assert all(e.pending_webhooks == 0 for e in client.v1.events.list(params={"limit": 100}))


def test_signature_uses_real_time_after_advance(emu, client, receiver):
    emu.advance(40 * 86400)
    client.v1.customers.create(params={"email": "late@example.com"})
    assert emu.wait_for_webhooks(timeout=10)
    headers, body, _ = receiver.requests[-1]
    event = stripe.Webhook.construct_event(body, headers["Stripe-Signature"], SECRET)
    assert event.created >= int(time.time()) + 40 * 86400 - 5


def test_retry_after_500(emu, client, receiver):
    receiver.statuses = [500, 503]
    client.v1.customers.create(params={"email": "retry@example.com"})
    client.v1.products.create(params={"name": "After"})
    assert emu.wait_for_webhooks(timeout=10)
    statuses = [s for _, _, s in receiver.requests]
    assert statuses == [500, 503, 200, 200]
    assert [e["type"] for e in receiver.delivered()] == ["customer.created", "product.created"]
    attempts = [d["attempt"] for d in emu.dispatcher.deliveries]
    assert attempts == [1, 2, 3, 1]
    assert all(e.pending_webhooks == 0 for e in client.v1.events.list())


def test_gives_up_after_max_attempts(emu, client, receiver):
    receiver.statuses = [500] * 10
    client.v1.customers.create(params={"email": "down@example.com"})
    assert emu.wait_for_webhooks(timeout=10)
    assert len(receiver.requests) == emu.dispatcher.max_attempts
    assert client.v1.events.list().data[0].pending_webhooks == 1


def test_connection_error_is_retried(emu, client):
    with socket.socket() as sock:  # a free port that nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    emu.set_webhook_url(f"http://127.0.0.1:{port}/unreachable")
    client.v1.customers.create(params={"email": "x@example.com"})
    assert emu.wait_for_webhooks(timeout=10)
    assert [d["attempt"] for d in emu.dispatcher.deliveries] == [1, 2, 3, 4]
    assert all(d["error"] for d in emu.dispatcher.deliveries)


def test_no_url_means_stored_only(emu, client):
    client.v1.customers.create(params={"email": "quiet@example.com"})
    assert emu.wait_for_webhooks(timeout=1)
    evt = client.v1.events.list().data[0]
    assert evt.type == "customer.created" and evt.pending_webhooks == 0


def test_sign_helper_matches_sdk():
    payload = '{"id": "evt_1", "object": "event"}'
    header = sign(payload, SECRET)
    stripe.WebhookSignature.verify_header(payload, header, SECRET, tolerance=300)
