"""Every object the emulator returns fits the typed classes of the pinned SDK."""

import pytest
import stripe

from stripe_emulator.tests.conftest import start_session
from stripe_emulator.tests.fidelity import assert_error_shape, assert_fidelity, check

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
    session = start_session(
        client,
        plan.id,
        1,
        customer=customer.id,
        cancel_url="http://hub.test/no",
        subscription_data={"trial_period_days": 7},
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


def _raised(call) -> stripe.StripeError:
    with pytest.raises(stripe.StripeError) as info:
        call()
    return info.value


@pytest.mark.parametrize(
    ("extra", "code", "param", "message"),
    [
        ({"foo": "bar"}, "parameter_unknown", "foo", "Received unknown parameter: foo"),
        (
            {"allow_promotion_codes": True},
            "parameter_not_implemented",
            "allow_promotion_codes",
            None,
        ),
        (
            {"subscription_data": {"trial_period_days": 800}},
            None,
            "subscription_data[trial_period_days]",
            None,
        ),
        (
            {"mode": "rent"},
            "parameter_invalid",
            "mode",
            "Invalid mode: must be one of payment, setup, or subscription",
        ),
    ],
)
def test_checkout_refusals_through_the_sdk(emu, client, plan, extra, code, param, message):
    """Only the official SDK: each refused Checkout Session has Stripe's documented error
    shape."""
    params = {
        "mode": "subscription",
        "line_items": [{"price": plan.id, "quantity": 1}],
        "success_url": "http://hub.test/ok",
        **extra,
    }
    assert_error_shape(
        _raised(lambda: client.v1.checkout.sessions.create(params=params)),
        http_status=400,
        type="invalid_request_error",
        code=code,
        param=param,
        message=message,
    )


def test_error_shapes_through_the_sdk(emu, client):
    """Only the official SDK: each refusal has Stripe's documented error shape."""
    assert_error_shape(
        _raised(lambda: client.v1.prices.create(params={"unit_amount": 1, "product": "x"})),
        http_status=400,
        type="invalid_request_error",
        code="parameter_missing",
        param="currency",
        message="Missing required param: currency.",
    )
    assert_error_shape(
        _raised(lambda: client.v1.customers.retrieve("cus_nope")),
        http_status=404,
        type="invalid_request_error",
        code="resource_missing",
        param="id",
        message="No such customer: 'cus_nope'",
    )
    client.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "k1"})
    assert_error_shape(
        _raised(
            lambda: client.v1.customers.create(
                params={"email": "b@example.com"}, options={"idempotency_key": "k1"}
            )
        ),
        http_status=400,
        type="idempotency_error",
    )
    assert_error_shape(
        _raised(lambda: client.v1.customers.list(options={"stripe_version": "2024-06-20"})),
        http_status=400,
        type="invalid_request_error",
        code="api_version_not_supported",
        param="Stripe-Version",
    )
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": 1_767_225_600})
    assert_error_shape(
        _raised(
            lambda: client.v1.test_helpers.test_clocks.advance(
                clock.id, params={"frozen_time": 1_767_225_000}
            )
        ),
        http_status=400,
        type="invalid_request_error",
        code="parameter_invalid",
        param="frozen_time",
    )


def test_webhook_endpoint_fits_sdk_type(client):
    created = client.v1.webhook_endpoints.create(
        params={"url": "http://127.0.0.1:9/hook", "enabled_events": ["*"]}
    )
    assert_fidelity(created)
    assert_fidelity(client.v1.webhook_endpoints.retrieve(created.id))
