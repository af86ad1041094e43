import pytest
import stripe

from stripe_emulator.tests.conftest import start_session

DAY = 86400


def _subscribe(client, web, price, card, trial_days=None, clock=None):
    params = {"email": "clock@example.com"}
    if clock:
        params["test_clock"] = clock
    customer = client.v1.customers.create(params=params)
    extra = {"subscription_data": {"trial_period_days": trial_days}} if trial_days else {}
    session = start_session(
        client, price.id, 1, customer=customer.id, cancel_url="http://hub.test/no", **extra
    )
    status, _, _ = web.request("POST", f"/checkout/{session.id}", {"card_number": card})
    assert status == 303
    session = client.v1.checkout.sessions.retrieve(session.id)
    return customer, client.v1.subscriptions.retrieve(session.subscription)


def _types_since(emu, mark):
    return emu.event_types()[mark:]


def test_clock_trial_will_end_then_renewal(emu, client, web, plan):
    start = 1_767_225_600  # 2026-01-01 00:00 UTC
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": start})
    customer, sub = _subscribe(client, web, plan, "4242424242424242", 30, clock.id)
    assert sub.created == start and sub.trial_end == start + 30 * DAY
    assert sub.test_clock == clock.id
    mark = len(emu.event_types())
    client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": start + 28 * DAY})
    assert "customer.subscription.trial_will_end" in _types_since(emu, mark)
    twe = emu.events("customer.subscription.trial_will_end")[-1]
    assert twe["created"] == start + 27 * DAY
    assert client.v1.subscriptions.retrieve(sub.id).status == "trialing"
    mark = len(emu.event_types())
    client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": start + 31 * DAY})
    assert _types_since(emu, mark) == [
        "test_helpers.test_clock.advancing",
        "customer.subscription.updated",
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
        "test_helpers.test_clock.ready",
    ]
    updated = emu.events("customer.subscription.updated")[-1]
    assert updated["data"]["previous_attributes"]["status"] == "trialing"
    assert updated["data"]["object"]["status"] == "active"
    sub = client.v1.subscriptions.retrieve(sub.id)
    item = sub["items"].data[0]
    assert sub.status == "active"
    assert item.current_period_start == start + 30 * DAY
    assert sub.billing_cycle_anchor == start + 30 * DAY  # 2026-01-31
    assert item.current_period_end == 1_772_236_800  # 2026-02-28: calendar month, clamped
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.billing_reason == "subscription_cycle" and invoice.amount_paid == 900
    assert invoice.lines.data[0].period.start == start + 30 * DAY
    invoices = client.v1.invoices.list(params={"subscription": sub.id})
    assert len(invoices.data) == 2
    # two more months → two more renewals, processed in order (in two steps: Stripe lets a
    # clock move at most two billing intervals at a time)
    client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": start + 61 * DAY})
    client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": start + 95 * DAY})
    assert len(client.v1.invoices.list(params={"customer": customer.id}).data) == 4
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub["items"].data[0].current_period_start == 1_774_915_200  # back on the 31st (March)


@pytest.mark.parametrize("policy", ["cancel", "unpaid"])
def test_failed_payments_to_past_due_then_policy(emu, client, web, plan, policy):
    emu.billing.failed_payment_policy = policy
    start = 1_767_225_600
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": start})
    _, sub = _subscribe(client, web, plan, "4000 0000 0000 0341", 7, clock.id)
    assert sub.status == "trialing"
    mark = len(emu.event_types())
    client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": start + 8 * DAY})
    assert _types_since(emu, mark)[1:-1] == [
        "customer.subscription.trial_will_end",
        "customer.subscription.updated",  # new period, trialing -> active
        "invoice.created",  # draft for an hour
        "invoice.finalized",
        "invoice.payment_failed",
        "customer.subscription.updated",  # active -> past_due
    ]
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub.status == "past_due"
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.status == "open" and invoice.attempt_count == 1
    first_failure = start + 7 * DAY + 3600  # the renewal invoice was draft for an hour
    assert invoice.next_payment_attempt == first_failure + 2 * DAY
    mark = len(emu.event_types())
    client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": start + 23 * DAY})
    failures = [e for e in emu.events()[mark:] if e["type"] == "invoice.payment_failed"]
    assert [e["created"] for e in failures] == [
        first_failure + d * DAY for d in (2, 4, 6, 8, 10, 12, 14)
    ]
    assert failures[-1]["data"]["object"]["attempt_count"] == 8
    assert failures[-1]["data"]["object"]["next_payment_attempt"] is None
    sub = client.v1.subscriptions.retrieve(sub.id)
    if policy == "cancel":
        assert sub.status == "canceled"
        assert _types_since(emu, mark)[-2] == "customer.subscription.deleted"
        assert sub.cancellation_details.reason == "payment_failed"
    else:
        assert sub.status == "unpaid"
        last = emu.events("customer.subscription.updated")[-1]
        assert last["data"]["previous_attributes"] == {"status": "past_due"}


def test_global_advance_renews_customers_without_clock(emu, client, web, plan):
    _, sub = _subscribe(client, web, plan, "4242424242424242")
    assert sub.status == "active"
    period_end = sub["items"].data[0].current_period_end
    status, _, body = web.request("POST", "/_emulator/advance", {"seconds": str(32 * DAY)})
    assert status == 200
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub["items"].data[0].current_period_start == period_end
    assert client.v1.invoices.retrieve(sub.latest_invoice).billing_reason == "subscription_cycle"


def test_cancel_at_period_end_via_api(emu, client, web, plan):
    _, sub = _subscribe(client, web, plan, "4242424242424242")
    updated = client.v1.subscriptions.update(
        sub.id, params={"cancel_at_period_end": True, "metadata": {"reason": "budget"}}
    )
    assert updated.cancel_at_period_end is True and updated.metadata["reason"] == "budget"
    evt = emu.events("customer.subscription.updated")[-1]
    assert evt["data"]["previous_attributes"]["cancel_at_period_end"] is False
    emu.advance(32 * DAY)
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub.status == "canceled"
    assert sub.ended_at == sub["items"].data[0].current_period_end
    assert emu.event_types()[-1] == "customer.subscription.deleted"
    assert client.v1.subscriptions.list().data == []
    assert [s.id for s in client.v1.subscriptions.list(params={"status": "all"}).data] == [sub.id]


def test_cancel_via_delete_and_status_filter(emu, client, web, plan):
    customer, sub = _subscribe(client, web, plan, "4242424242424242")
    assert [
        s.id
        for s in client.v1.subscriptions.list(
            params={"customer": customer.id, "status": "active"}
        ).data
    ] == [sub.id]
    canceled = client.v1.subscriptions.cancel(sub.id)
    assert canceled.status == "canceled" and canceled.canceled_at
    assert emu.event_types()[-1] == "customer.subscription.deleted"
    assert client.v1.subscriptions.list(params={"status": "canceled"}).data[0].id == sub.id


def test_cancel_at_via_api_cancels_when_the_clock_passes_it(emu, client, web, plan):
    _, sub = _subscribe(client, web, plan, "4242424242424242")
    period_end = sub["items"].data[0].current_period_end
    cancel_at = period_end - 5 * DAY
    updated = client.v1.subscriptions.update(sub.id, params={"cancel_at": cancel_at})
    assert (updated.cancel_at, updated.cancel_at_period_end) == (cancel_at, False)
    assert updated.cancellation_details.reason == "cancellation_requested"
    evt = emu.events("customer.subscription.updated")[-1]
    assert evt["data"]["previous_attributes"]["cancel_at"] is None
    emu.advance(cancel_at - emu.now() - 60)
    assert client.v1.subscriptions.retrieve(sub.id).status == "active"
    emu.advance(120)
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert (sub.status, sub.ended_at) == ("canceled", cancel_at)
    assert emu.event_types()[-1] == "customer.subscription.deleted"


def test_cancel_at_can_be_unset_and_must_be_in_the_future(emu, client, web, plan):
    _, sub = _subscribe(client, web, plan, "4242424242424242")
    period_end = sub["items"].data[0].current_period_end
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.subscriptions.update(sub.id, params={"cancel_at": emu.now() - 10})
    client.v1.subscriptions.update(sub.id, params={"cancel_at": period_end})
    resumed = client.v1.subscriptions.update(sub.id, params={"cancel_at": ""})
    assert resumed.cancel_at is None and resumed.canceled_at is None
    emu.advance(32 * DAY)
    sub = client.v1.subscriptions.retrieve(sub.id)
    assert sub.status == "active" and sub["items"].data[0].current_period_start == period_end
