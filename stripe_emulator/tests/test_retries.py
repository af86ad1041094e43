"""Point 6: renewal invoices stay draft for about an hour (invoice.created, then
invoice.finalized and the charge), and failed payments follow Smart Retries' default — up
to 8 attempts within 2 weeks, invoice.payment_failed each time with next_payment_attempt —
then cancel (or `unpaid`)."""

import pytest

from stripe_emulator.tests.conftest import start_session

DAY = 86400
HOUR = 3600
START = 1_767_225_600


def _subscribe(client, web, plan, card, clock):
    customer = client.v1.customers.create(params={"email": "r@example.com", "test_clock": clock})
    session = start_session(
        client, plan.id, customer=customer.id, subscription_data={"trial_period_days": 7}
    )
    web.request("POST", f"/checkout/{session.id}", {"card_number": card})
    return client.v1.subscriptions.list(params={"customer": customer.id}).data[0]


def _advance(client, clock, to):
    client.v1.test_helpers.test_clocks.advance(clock, params={"frozen_time": to})


def test_renewal_invoice_is_draft_for_an_hour(emu, client, web, plan):
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": START}).id
    sub = _subscribe(client, web, plan, "4242424242424242", clock)
    trial_end = START + 7 * DAY
    _advance(client, clock, trial_end + 30 * 60)  # half an hour after the renewal
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub.status == "active"  # the new period has started
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.status == "draft" and invoice.number is None
    assert invoice.automatically_finalizes_at == trial_end + HOUR
    assert invoice.hosted_invoice_url is None
    types = [t for t in emu.event_types() if not t.startswith("test_helpers.")]
    assert types[-2:] == ["customer.subscription.updated", "invoice.created"]

    _advance(client, clock, trial_end + 2 * HOUR)
    invoice = client.v1.invoices.retrieve(invoice.id)
    assert invoice.status == "paid"
    assert invoice.status_transitions.finalized_at == trial_end + HOUR
    assert invoice.status_transitions.paid_at == trial_end + HOUR
    assert invoice.hosted_invoice_url == f"{emu.url}/invoice/{invoice.id}"
    finalized = emu.events("invoice.finalized")[-1]
    assert finalized["created"] == trial_end + HOUR
    types = [t for t in emu.event_types() if not t.startswith("test_helpers.")]
    assert types[-3:] == [
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
    ]
    # the payment went through a PaymentIntent with a charge
    payments = client.v1.invoice_payments.list(params={"invoice": invoice.id}).data
    assert len(payments) == 1 and payments[0].status == "paid"
    pi = client.v1.payment_intents.retrieve(payments[0].payment.payment_intent)
    assert pi.status == "succeeded" and pi.amount_received == 900
    assert client.v1.charges.retrieve(pi.latest_charge).paid is True


@pytest.mark.parametrize("policy", ["cancel", "unpaid"])
def test_smart_retries_eight_attempts_in_two_weeks_then_policy(emu, client, web, plan, policy):
    emu.billing.failed_payment_policy = policy
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": START}).id
    sub = _subscribe(client, web, plan, "4000000000000341", clock)
    first = START + 7 * DAY + HOUR
    _advance(client, clock, first)
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub.status == "past_due"
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.status == "open" and invoice.attempt_count == 1
    assert invoice.next_payment_attempt == first + 2 * DAY

    _advance(client, clock, first + 13 * DAY)  # still inside the two weeks
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub.status == "past_due"
    invoice = client.v1.invoices.retrieve(invoice.id)
    assert invoice.attempt_count == 7 and invoice.next_payment_attempt == first + 14 * DAY

    _advance(client, clock, first + 15 * DAY)
    failures = emu.events("invoice.payment_failed")
    assert len(failures) == 8
    assert [f["data"]["object"]["attempt_count"] for f in failures] == list(range(1, 9))
    assert failures[-1]["created"] - failures[0]["created"] == 14 * DAY
    assert [f["data"]["object"]["next_payment_attempt"] is None for f in failures] == [
        False
    ] * 7 + [True]
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert client.v1.invoices.retrieve(invoice.id).status == "open"
    if policy == "cancel":
        assert sub.status == "canceled"
        assert sub.cancellation_details.reason == "payment_failed"
    else:
        assert sub.status == "unpaid"
    # every failed attempt left a failed charge on the invoice's PaymentIntent
    pi = client.v1.payment_intents.retrieve(
        client.v1.invoice_payments.list(params={"invoice": invoice.id})
        .data[0]
        .payment.payment_intent
    )
    assert pi.status == "requires_payment_method"
    assert pi.last_payment_error.code == "card_declined"


def test_retry_schedule_and_draft_delay_are_configurable(emu, client, web, plan):
    emu.billing.retry_days = (1,)
    emu.billing.draft_delay = 0
    try:
        clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": START}).id
        sub = _subscribe(client, web, plan, "4000000000000341", clock)
        _advance(client, clock, START + 9 * DAY)
        assert len(emu.events("invoice.payment_failed")) == 2
        assert client.v1.subscriptions.retrieve(sub.id).status == "canceled"
        assert emu.events("invoice.payment_failed")[0]["created"] == START + 7 * DAY
    finally:
        emu.billing.retry_days = (2, 4, 6, 8, 10, 12, 14)
        emu.billing.draft_delay = 3600


def test_cli_flags(tmp_path):
    from stripe_emulator.__main__ import main

    with pytest.raises(SystemExit):
        main(["--payment-retry-days", "two"])
