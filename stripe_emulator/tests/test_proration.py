"""Point 5: Subscription.modify(items=..., proration_behavior=...) really switches the price,
leaves proration invoice items for the next invoice (or invoices them now) and
Invoice.create_preview returns the prorated amount — all through the official SDK."""

import pytest
import stripe

from stripe_emulator.tests.conftest import recurring_price, start_session
from stripe_emulator.tests.fidelity import assert_fidelity

DAY = 86400
START = 1_767_225_600  # 2026-01-01 00:00 UTC; January has 31 days


@pytest.fixture
def prices(client):
    product = client.v1.products.create(params={"name": "Pro"})
    business = client.v1.products.create(params={"name": "Business"})

    return {
        "pro": recurring_price(client, product.id, 900),
        "business": recurring_price(client, business.id, 3100),
        "business_yearly": recurring_price(client, business.id, 31000, "year"),
    }


@pytest.fixture
def active_sub(client, web, prices):
    """An active (paid, no trial) Pro subscription on a test clock at START."""
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": START})
    customer = client.v1.customers.create(
        params={"email": "pro@example.com", "test_clock": clock.id}
    )
    session = start_session(client, prices["pro"].id, 1, customer=customer.id)
    web.request("POST", f"/checkout/{session.id}", {"card_number": "4242424242424242"})
    sub = client.v1.subscriptions.retrieve(
        client.v1.checkout.sessions.retrieve(session.id).subscription
    )
    assert sub.status == "active"
    return clock, customer, sub


def _advance(client, clock, to):
    client.v1.test_helpers.test_clocks.advance(clock.id, params={"frozen_time": to})


def _switch(client, sub, item, price, proration_behavior):
    """Subscription.modify: ``item`` to ``price``, prorated as ``proration_behavior`` says."""
    return client.v1.subscriptions.update(
        sub.id,
        params={
            "items": [{"id": item.id, "price": price.id}],
            "proration_behavior": proration_behavior,
        },
    )


def test_upgrade_mid_period_creates_prorations_and_bills_them_at_renewal(
    emu, client, active_sub, prices
):
    clock, customer, sub = active_sub
    item = sub["items"].data[0]
    _advance(client, clock, START + 10 * DAY)  # 21 of 31 days left
    # The preview first: what the change would add to the next invoice.
    preview = client.v1.invoices.create_preview(
        params={
            "customer": customer.id,
            "subscription": sub.id,
            "subscription_details": {
                "items": [{"id": item.id, "price": prices["business"].id}],
                "proration_behavior": "create_prorations",
            },
        }
    )
    assert_fidelity(preview, stripe.Invoice)
    prorations = [
        line for line in preview.lines.data if line.parent.subscription_item_details.proration
    ]
    credit, charge = (line.amount for line in prorations)
    assert credit == -round(900 * 21 / 31) == -610
    assert charge == round(3100 * 21 / 31) == 2100
    # next invoice: both prorations plus a month of Business
    assert preview.amount_due == -610 + 2100 + 3100
    assert "Unused time on 1 × Pro after 11 Jan 2026" in [p.description for p in prorations]

    mark = len(emu.events())
    sub = _switch(client, sub, item, prices["business"], "create_prorations")
    assert sub["items"].data[0].price.id == prices["business"].id
    assert sub["items"].data[0].id == item.id  # the same item, repriced
    events = emu.events()[mark:]
    assert [e["type"] for e in events] == [
        "customer.subscription.updated",
        "invoiceitem.created",
        "invoiceitem.created",
    ]
    prev_items = events[0]["data"]["previous_attributes"]["items"]
    assert prev_items["data"][0]["price"]["id"] == prices["pro"].id
    pending = client.v1.invoice_items.list(params={"customer": customer.id, "pending": True})
    assert sorted(ii.amount for ii in pending.data) == [-610, 2100]
    assert all(ii.proration for ii in pending.data)
    for ii in pending.data:
        assert_fidelity(ii, stripe.InvoiceItem)

    # At renewal the next invoice carries the prorations and the new price.
    _advance(client, clock, START + 31 * DAY + 2 * 3600)
    sub = client.v1.subscriptions.retrieve(sub.id)
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.status == "paid" and invoice.amount_paid == -610 + 2100 + 3100
    assert sorted(line.amount for line in invoice.lines.data) == [-610, 2100, 3100]
    for line in invoice.lines.data:
        assert_fidelity(line, stripe.InvoiceLineItem)
    for event in emu.events():
        assert_fidelity(event)


def test_always_invoice_bills_the_difference_now(emu, client, active_sub, prices):
    clock, customer, sub = active_sub
    item = sub["items"].data[0]
    _advance(client, clock, START + 10 * DAY)
    preview = client.v1.invoices.create_preview(
        params={
            "subscription": sub.id,
            "subscription_details": {
                "items": [{"id": item.id, "price": prices["business"].id}],
                "proration_behavior": "always_invoice",
            },
        }
    )
    assert preview.amount_due == 2100 - 610 and preview.billing_reason == "subscription_update"
    mark = len(emu.events())
    sub = _switch(client, sub, item, prices["business"], "always_invoice")
    types = [e["type"] for e in emu.events()[mark:]]
    assert types[0] == "customer.subscription.updated"
    assert types[-3:] == [
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
    ]
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.billing_reason == "subscription_update"
    assert invoice.status == "paid" and invoice.amount_paid == 1490
    assert not client.v1.invoice_items.list(params={"customer": customer.id, "pending": True}).data


def test_downgrade_credit_becomes_customer_balance(emu, client, active_sub, prices):
    clock, customer, sub = active_sub
    item = sub["items"].data[0]
    _switch(client, sub, item, prices["business"], "none")
    assert not client.v1.invoice_items.list(params={"customer": customer.id}).data
    _advance(client, clock, START + 10 * DAY)
    _switch(client, sub, item, prices["pro"], "always_invoice")
    # credit 2100 for Business, charge 610 for Pro: 1490 credit on the customer's balance
    assert client.v1.customers.retrieve(customer.id).balance == -1490
    _advance(client, clock, START + 31 * DAY + 2 * 3600)
    invoice = client.v1.invoices.retrieve(client.v1.subscriptions.retrieve(sub.id).latest_invoice)
    assert invoice.total == 900 and invoice.amount_due == 0 and invoice.ending_balance == -590


def test_interval_change_restarts_the_cycle_and_invoices_now(emu, client, active_sub, prices):
    clock, customer, sub = active_sub
    item = sub["items"].data[0]
    _advance(client, clock, START + 10 * DAY)
    sub = client.v1.subscriptions.update(
        sub.id, params={"items": [{"id": item.id, "price": prices["business_yearly"].id}]}
    )
    new_item = sub["items"].data[0]
    assert sub.billing_cycle_anchor == START + 10 * DAY
    assert new_item.current_period_start == START + 10 * DAY
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.status == "paid" and invoice.amount_paid == 31000 - 610


def test_trial_change_has_no_prorations(emu, client, web, prices):
    customer = client.v1.customers.create(params={"email": "t@example.com"})
    session = start_session(
        client, prices["pro"].id, customer=customer.id, subscription_data={"trial_period_days": 14}
    )
    web.request("POST", f"/checkout/{session.id}", {"card_number": "4242424242424242"})
    sub = client.v1.subscriptions.list(params={"customer": customer.id}).data[0]
    sub = client.v1.subscriptions.update(
        sub.id,
        params={"items": [{"id": sub["items"].data[0].id, "price": prices["business"].id}]},
    )
    assert sub.status == "trialing" and sub["items"].data[0].price.unit_amount == 3100
    assert not client.v1.invoice_items.list(params={"customer": customer.id}).data


@pytest.mark.parametrize(
    "params, param, fragment",
    [
        ({"items": [{"price": "PRICE"}]}, "items[0][id]", "does not add items"),
        ({"items": [{"id": "si_nope", "price": "PRICE"}]}, "items[0][id]", "No such"),
        ({"items": [{"id": "ITEM", "price": "price_nope"}]}, "items[0][price]", "No such price"),
        (
            {"items": [{"id": "ITEM", "price": "PRICE"}], "proration_behavior": "sometimes"},
            "proration_behavior",
            "must be one of",
        ),
        (
            {"pause_collection": {"behavior": "void"}},
            "pause_collection[behavior]",
            "does not implement",
        ),
        ({"pause_collection": ""}, "pause_collection", "does not implement"),
        (
            {"items": [{"id": "ITEM", "price": "PRICE", "deleted": "true"}]},
            "items[0][deleted]",
            "does not implement",
        ),
        ({"items": [{"id": "ITEM", "price": "PRICE", "quantity": 0}]}, "items[0][quantity]", ""),
    ],
)
def test_hostile_modify_is_refused_and_changes_nothing(
    emu, client, active_sub, prices, params, param, fragment
):
    clock, customer, sub = active_sub
    item_id = sub["items"].data[0].id

    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        return {"ITEM": item_id, "PRICE": prices["business"].id}.get(value, value)

    mark = len(emu.events())
    with pytest.raises(stripe.InvalidRequestError) as exc:
        client.v1.subscriptions.update(sub.id, params=fill(params))
    assert exc.value.http_status in (400, 404)
    assert exc.value.param == param and fragment in exc.value.user_message
    assert client.v1.subscriptions.retrieve(sub.id)["items"].data[0].price.id == prices["pro"].id
    assert len(emu.events()) == mark


def test_preview_without_changes_is_the_next_renewal(client, active_sub):
    clock, customer, sub = active_sub
    preview = client.v1.invoices.create_preview(params={"customer": customer.id})
    assert preview.amount_due == 900 and preview.billing_reason == "upcoming"
    assert preview.lines.data[0].period.start == sub["items"].data[0].current_period_end
    with pytest.raises(stripe.InvalidRequestError) as exc:
        client.v1.invoices.create_preview(params={})
    assert exc.value.param == "customer"


def test_module_style_create_preview(emu, active_sub, prices):
    """stripe.Invoice.create_preview (POST /v1/invoices/create_preview) works too."""
    clock, customer, sub = active_sub
    original = stripe.api_base
    stripe.api_base = emu.url
    try:
        preview = stripe.Invoice.create_preview(
            api_key="sk_test_emulator",
            subscription=sub.id,
            subscription_details={
                "items": [{"id": sub["items"].data[0].id, "price": prices["business"].id}],
                "proration_behavior": "always_invoice",
            },
        )
    finally:
        stripe.api_base = original
    assert preview.amount_due == 3100 - 900  # at the very start of the period: all of it
