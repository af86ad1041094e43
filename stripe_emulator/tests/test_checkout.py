import re
import urllib.parse

import pytest
import stripe

from stripe_emulator.tests.conftest import start_session

CHECKOUT_EVENTS = [
    "customer.created",
    "payment_method.attached",
    "customer.subscription.created",
    "invoice.created",
    "invoice.finalized",
    "invoice.paid",
    "invoice.payment_succeeded",
    "checkout.session.completed",
]


def _path(url):
    return urllib.parse.urlsplit(url).path


def test_session_shape_and_page(client, web, plan, emu):
    session = start_session(
        client,
        plan.id,
        quantity=1,
        customer_email="ada@example.com",
        client_reference_id="org_9",
        success_url="http://hub.test/ok?session_id={CHECKOUT_SESSION_ID}",
        cancel_url="http://hub.test/pricing/",
        subscription_data={"trial_period_days": 30},
    )
    assert session.id.startswith("cs_") and session.status == "open"
    assert session.payment_status == "unpaid" and session.mode == "subscription"
    assert session.url == f"{emu.url}/checkout/{session.id}"
    assert session.client_reference_id == "org_9"
    status, headers, html = web.request("GET", _path(session.url))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Pro" in html
    assert "£9.00 per month" in html
    assert "30 days free" in html
    assert re.search(r'<input[^>]*name="email"[^>]*value="ada@example.com" readonly', html)
    assert '<label for="card_number">Card number</label>' in html
    assert re.search(r'<input[^>]*name="card_number" id="card_number"', html)
    assert re.search(r'<button type="submit" id="submit">Start trial</button>', html)
    assert 'href="http://hub.test/pricing/"' in html and ">Cancel</a>" in html


def test_trial_checkout_flow(client, checkout, emu):
    session, status, location, _ = checkout(card="4242 4242 4242 4242", trial_days=30)
    assert status == 303
    assert location == f"http://hub.test/billing/success/?session_id={session.id}"
    assert session.status == "complete"
    assert session.payment_status == "no_payment_required"
    assert session.subscription.startswith("sub_") and session.customer.startswith("cus_")
    sub = client.v1.subscriptions.retrieve(session.subscription)
    assert sub.status == "trialing"
    assert sub.trial_end - sub.trial_start == 30 * 86400
    item = sub["items"].data[0]
    assert item.current_period_end == sub.trial_end
    assert item.price.unit_amount == 900 and item.plan.interval == "month"
    assert sub.metadata.to_dict() == {"org": "1"}
    assert sub.default_payment_method.startswith("pm_")
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.status == "paid" and invoice.amount_due == 0 and invoice.amount_paid == 0
    assert invoice.billing_reason == "subscription_create"
    assert invoice.parent.subscription_details.subscription == sub.id
    assert emu.event_types()[-8:] == CHECKOUT_EVENTS
    customer = client.v1.customers.retrieve(session.customer)
    assert customer.email == "ada@example.com"


def test_paid_checkout_flow_with_existing_customer(client, web, plan, emu):
    customer = client.v1.customers.create(params={"email": "bob@example.com"})
    session = start_session(
        client,
        plan.id,
        2,
        customer=customer.id,
        success_url="http://hub.test/ok/{CHECKOUT_SESSION_ID}",
        cancel_url="http://hub.test/no",
    )
    _, _, html = web.request("GET", _path(session.url))
    assert 'id="submit">Subscribe</button>' in html
    assert 'value="bob@example.com" readonly' in html
    assert "days free" not in html
    status, headers, _ = web.request(
        "POST", _path(session.url), {"card_number": "4242424242424242"}
    )
    assert status == 303 and headers["Location"] == f"http://hub.test/ok/{session.id}"
    session = client.v1.checkout.sessions.retrieve(session.id)
    assert session.payment_status == "paid" and session.customer == customer.id
    assert session.amount_total == 1800
    sub = client.v1.subscriptions.retrieve(
        session.subscription, params={"expand": ["latest_invoice"]}
    )
    assert sub.status == "active"
    assert sub.latest_invoice.amount_paid == 1800 and sub.latest_invoice.status == "paid"
    assert "customer.created" not in emu.event_types()[-7:]
    assert emu.event_types()[-7:] == CHECKOUT_EVENTS[1:]


@pytest.mark.parametrize(
    ("card", "trial", "message"),
    [
        ("4000 0000 0000 0002", 30, "Your card was declined."),
        ("4000 0000 0000 0341", None, "Your card was declined."),
        ("1234 5678", None, "Your card number is invalid."),
        ("4242 4242 4242 4241", None, "Your card number is invalid."),
    ],
)
def test_declined_or_invalid_cards_create_nothing(client, checkout, card, trial, message):
    session, status, location, html = checkout(card=card, trial_days=trial)
    assert status == 200 and location is None
    assert message in html and 'id="error"' in html
    assert session.status == "open" and session.subscription is None
    assert client.v1.customers.list().data == []
    assert client.v1.subscriptions.list(params={"status": "all"}).data == []


def test_failing_card_with_trial_starts_trialing(client, checkout):
    session, status, _, _ = checkout(card="4000000000000341", trial_days=7)
    assert status == 303
    assert client.v1.subscriptions.retrieve(session.subscription).status == "trialing"


def test_completed_and_expired_pages(client, web, checkout, plan):
    session, *_ = checkout(trial_days=3)
    _, _, html = web.request("GET", _path(session.url))
    assert "already complete" in html
    again = start_session(client, plan.id, cancel_url="http://hub.test/no")
    expired = client.v1.checkout.sessions.expire(again.id)
    assert expired.status == "expired"
    _, _, html = web.request("GET", f"/checkout/{again.id}")
    assert "expired" in html
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.checkout.sessions.expire(again.id)
    status, _, _ = web.request("GET", "/checkout/cs_test_nope")
    assert status == 404


def test_session_list_and_line_items(client, checkout):
    session, *_ = checkout()
    listing = client.v1.checkout.sessions.list(params={"subscription": session.subscription})
    assert [s.id for s in listing.data] == [session.id]
    items = client.v1.checkout.sessions.line_items.list(session.id)
    assert items.data[0].price.unit_amount == 900 and items.data[0].quantity == 1


def test_session_validation(client, plan):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.checkout.sessions.create(
            params={"mode": "subscription", "success_url": "http://x"}
        )
    assert info.value.param == "line_items"
