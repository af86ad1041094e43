"""Every object the emulator returns fits the typed classes of the pinned SDK."""

import pytest
import stripe

from stripe_emulator.tests.fidelity import assert_fidelity, check

DAY = 86400


def test_checker_catches_problems():
    assert check({"id": "cus_1", "object": "customer", "livemode": False}, stripe.Customer) == [
        "$.created: required by Customer but missing"
    ]
    bad = {"id": 1, "object": "customer", "created": "x", "livemode": "no"}
    assert len(check(bad, stripe.Customer)) == 3
    sub_problems = check({"object": "subscription", "status": 5}, stripe.Subscription)
    assert any("items" in p for p in sub_problems)
    assert any("status" in p for p in sub_problems)
    assert check({"object": "event", "type": "no.such.type"}, stripe.Event)


def test_full_lifecycle_objects_fit_sdk_types(emu, client, web, checkout, plan):
    start = 1_767_225_600
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": start})
    assert_fidelity(clock)
    customer = client.v1.customers.create(
        params={"email": "fid@example.com", "test_clock": clock.id}
    )
    assert_fidelity(customer)
    product = client.v1.products.retrieve(plan.product)
    assert_fidelity(product)
    assert_fidelity(plan)
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer.id,
            "line_items": [{"price": plan.id, "quantity": 1}],
            "success_url": "http://hub.test/ok",
            "cancel_url": "http://hub.test/no",
            "subscription_data": {"trial_period_days": 7},
        }
    )
    assert_fidelity(session)
    web.request("POST", f"/checkout/{session.id}", {"card_number": "4000000000000341"})
    session = client.v1.checkout.sessions.retrieve(
        session.id, params={"expand": ["subscription", "customer", "line_items"]}
    )
    assert_fidelity(session)
    sub_id = session.subscription.id
    client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": start + 30 * DAY})
    sub = client.v1.subscriptions.retrieve(
        sub_id, params={"expand": ["latest_invoice", "customer", "items.data.price.product"]}
    )
    assert_fidelity(sub)
    for item in sub["items"].data:
        assert_fidelity(item, stripe.SubscriptionItem)
    for invoice in client.v1.invoices.list(params={"customer": customer.id}).data:
        assert_fidelity(invoice)
        for line in invoice.lines.data:
            assert_fidelity(line, stripe.InvoiceLineItem)
    portal = client.v1.billing_portal.sessions.create(params={"customer": customer.id})
    assert_fidelity(portal)
    pm = client.v1.payment_methods.retrieve(sub.default_payment_method)
    assert_fidelity(pm)
    assert_fidelity(client.v1.test_helpers.test_clocks.retrieve(clock.id))
    events = list(client.v1.events.list(params={"limit": 100}).auto_paging_iter())
    kinds = {e.data.object.object for e in events}
    assert {"customer", "subscription", "invoice", "checkout.session", "payment_method"} <= kinds
    for event in events:
        assert_fidelity(event)


@pytest.mark.parametrize("trial", [None, 14])
def test_checkout_objects_fit_sdk_types(client, checkout, trial):
    session, *_ = checkout(trial_days=trial)
    assert_fidelity(client.v1.checkout.sessions.retrieve(session.id))
    sub = client.v1.subscriptions.retrieve(session.subscription)
    assert_fidelity(sub)
    for item in client.v1.checkout.sessions.line_items.list(session.id).data:
        assert_fidelity(item, stripe.LineItem)
    for event in client.v1.events.list(params={"limit": 100}).data:
        assert_fidelity(event)
    canceled = client.v1.subscriptions.cancel(sub.id)
    assert_fidelity(canceled)
