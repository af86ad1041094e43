"""Point 9: refunds (stripe.Refund.create, or POST /_emulator/charges/<ch>/refund) emit
charge.refunded; disputes opened with POST /_emulator/charges/<ch>/dispute emit
charge.dispute.created and are closed won/lost with POST /_emulator/disputes/<dp>/close
(charge.dispute.closed). Objects fit the SDK's classes."""

import pytest
import stripe

from stripe_emulator.tests.fidelity import assert_fidelity


@pytest.fixture
def paid_charge(client, checkout):
    session, *_ = checkout(trial_days=None)
    sub = client.v1.subscriptions.retrieve(session.subscription)
    charges = client.v1.charges.list(params={"customer": session.customer}).data
    assert len(charges) == 1
    charge = charges[0]
    assert charge.paid and charge.amount == 900 and charge.status == "succeeded"
    payment = client.v1.invoice_payments.list(params={"invoice": sub.latest_invoice}).data[0]
    assert payment.payment.payment_intent == charge.payment_intent
    return charge


def test_refund_create_via_sdk(emu, client, paid_charge, receiver):
    assert_fidelity(paid_charge)
    assert_fidelity(client.v1.payment_intents.retrieve(paid_charge.payment_intent))
    mark = len(emu.events())
    refund = client.v1.refunds.create(
        params={"charge": paid_charge.id, "amount": 300, "reason": "requested_by_customer"}
    )
    assert_fidelity(refund)
    assert refund.status == "succeeded" and refund.amount == 300
    assert refund.charge == paid_charge.id
    charge = client.v1.charges.retrieve(paid_charge.id)
    assert charge.amount_refunded == 300 and charge.refunded is False
    assert [e["type"] for e in emu.events()[mark:]] == ["charge.refunded", "refund.created"]
    event = emu.events("charge.refunded")[-1]
    assert event["data"]["previous_attributes"] == {"amount_refunded": 0, "refunded": False}
    assert_fidelity(event)
    # the rest, by payment intent
    client.v1.refunds.create(params={"payment_intent": paid_charge.payment_intent})
    charge = client.v1.charges.retrieve(paid_charge.id)
    assert charge.amount_refunded == 900 and charge.refunded is True
    assert len(client.v1.refunds.list(params={"charge": charge.id}).data) == 2
    assert emu.wait_for_webhooks(timeout=10)
    assert "charge.refunded" in [e["type"] for e in receiver.delivered()]


@pytest.mark.parametrize(
    "params, code_or_param",
    [
        ({"charge": "CH", "amount": 901}, "amount"),
        ({"charge": "CH", "amount": 0}, "amount"),
        ({"charge": "CH", "reason": "because"}, "reason"),
        ({"charge": "ch_nope"}, "charge"),
        ({}, "charge"),
        ({"charge": "CH", "payment_intent": "pi_x"}, "payment_intent"),
    ],
)
def test_hostile_refunds(emu, client, paid_charge, params, code_or_param):
    params = {k: (paid_charge.id if v == "CH" else v) for k, v in params.items()}
    with pytest.raises(stripe.InvalidRequestError) as exc:
        client.v1.refunds.create(params=params)
    assert exc.value.param == code_or_param
    assert client.v1.charges.retrieve(paid_charge.id).amount_refunded == 0


def test_refund_twice_is_refused(emu, client, paid_charge):
    client.v1.refunds.create(params={"charge": paid_charge.id})
    with pytest.raises(stripe.InvalidRequestError) as exc:
        client.v1.refunds.create(params={"charge": paid_charge.id})
    assert exc.value.code == "charge_already_refunded"


def test_refund_helper(emu, client, web, paid_charge):
    status, _, body = web.request(
        "POST", f"/_emulator/charges/{paid_charge.id}/refund", {"amount": "100"}
    )
    assert status == 200 and body  # JSON refund
    assert client.v1.charges.retrieve(paid_charge.id).amount_refunded == 100
    assert emu.event_types()[-2:] == ["charge.refunded", "refund.created"]


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_dispute_created_and_closed(emu, client, web, paid_charge, outcome, receiver):
    status, _, raw = web.request(
        "POST", f"/_emulator/charges/{paid_charge.id}/dispute", {"reason": "fraudulent"}
    )
    assert status == 200
    dispute = client.v1.disputes.list(params={"charge": paid_charge.id}).data[0]
    assert_fidelity(dispute)
    assert dispute.status == "needs_response" and dispute.amount == 900
    assert dispute.reason == "fraudulent"
    assert client.v1.charges.retrieve(paid_charge.id).disputed is True
    created = emu.events("charge.dispute.created")[-1]
    assert created["data"]["object"]["id"] == dispute.id
    assert_fidelity(created)
    # a disputed charge cannot be refunded
    with pytest.raises(stripe.InvalidRequestError) as exc:
        client.v1.refunds.create(params={"charge": paid_charge.id})
    assert exc.value.code == "charge_disputed"
    status, _, _ = web.request(
        "POST", f"/_emulator/disputes/{dispute.id}/close", {"outcome": outcome}
    )
    assert status == 200
    dispute = client.v1.disputes.retrieve(dispute.id)
    assert dispute.status == outcome
    closed = emu.events("charge.dispute.closed")[-1]
    assert closed["data"]["object"]["status"] == outcome
    assert closed["data"]["previous_attributes"] == {"status": "needs_response"}
    assert_fidelity(closed)
    # closing twice is refused
    status, _, _ = web.request(
        "POST", f"/_emulator/disputes/{dispute.id}/close", {"outcome": "won"}
    )
    assert status == 400
    assert emu.wait_for_webhooks(timeout=10)
    delivered = [e["type"] for e in receiver.delivered()]
    assert delivered[-2:] == ["charge.dispute.created", "charge.dispute.closed"]


def test_dispute_close_via_sdk_means_lost(emu, client, web, paid_charge):
    web.request("POST", f"/_emulator/charges/{paid_charge.id}/dispute", {})
    dispute = client.v1.disputes.list().data[0]
    assert dispute.reason == "fraudulent"
    dispute = client.v1.disputes.close(dispute.id)
    assert dispute.status == "lost"


@pytest.mark.parametrize(
    "path, data, status",
    [
        ("/_emulator/charges/ch_nope/refund", {}, 404),
        ("/_emulator/charges/ch_nope/dispute", {}, 404),
        ("/_emulator/charges/CH/dispute", {"reason": "boredom"}, 400),
        ("/_emulator/charges/CH/dispute", {"amount": "5000"}, 400),
        ("/_emulator/charges/CH/refund", {"amount": "abc"}, 400),
        ("/_emulator/disputes/dp_nope/close", {"outcome": "won"}, 404),
        ("/_emulator/charges/CH/explode", {}, 404),
    ],
)
def test_hostile_helpers(emu, client, web, paid_charge, path, data, status):
    got, _, _ = web.request("POST", path.replace("CH", paid_charge.id), data)
    assert got == status
    charge = client.v1.charges.retrieve(paid_charge.id)
    assert charge.amount_refunded == 0 and charge.disputed is False


def test_trial_checkout_has_no_charge(emu, client, checkout):
    session, *_ = checkout(trial_days=14)
    assert client.v1.charges.list(params={"customer": session.customer}).data == []
