"""Point 3: 3-D Secure test cards. 4000 0027 6000 3184 needs authentication on every charge,
4000 0025 0000 3155 on setup only. Checkout shows an authentication step; an off-session
renewal on 3184 leaves the invoice open with its PaymentIntent `requires_action`, emits
invoice.payment_action_required, the subscription goes past_due, and the hosted invoice page
lets the owner authenticate and pay (invoice.paid, subscription active)."""

import urllib.parse

import pytest

from stripe_emulator.tests.fidelity import assert_fidelity

DAY = 86400
HOUR = 3600
START = 1_767_225_600
ALWAYS = "4000 0027 6000 3184"
SETUP_ONLY = "4000 0025 0000 3155"


def _session(client, plan, customer=None, trial_days=None):
    params = {
        "mode": "subscription",
        "line_items": [{"price": plan.id}],
        "success_url": "http://hub.test/ok?s={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://hub.test/no",
    }
    if customer:
        params["customer"] = customer
    else:
        params["customer_email"] = "sca@example.com"
    if trial_days:
        params["subscription_data"] = {"trial_period_days": trial_days}
    return client.v1.checkout.sessions.create(params=params)


@pytest.mark.parametrize("card", [ALWAYS, SETUP_ONLY])
def test_checkout_asks_for_authentication_then_completes(emu, client, web, plan, card):
    session = _session(client, plan)
    mark = len(emu.events())
    status, _, html = web.request("POST", f"/checkout/{session.id}", {"card_number": card})
    assert status == 200
    assert 'id="authenticate-complete"' in html and 'id="authenticate-fail"' in html
    assert "£9.00 per month" in html
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"
    assert len(emu.events()) == mark  # nothing created before the step
    status, headers, _ = web.request(
        "POST", f"/checkout/{session.id}", {"card_number": card, "authenticate": "complete"}
    )
    assert status == 303 and headers["Location"] == f"http://hub.test/ok?s={session.id}"
    session = client.v1.checkout.sessions.retrieve(session.id)
    assert session.status == "complete" and session.payment_status == "paid"
    sub = client.v1.subscriptions.retrieve(session.subscription)
    assert sub.status == "active"
    assert client.v1.invoices.retrieve(sub.latest_invoice).status == "paid"


def test_checkout_failed_authentication_creates_nothing(emu, client, web, plan):
    session = _session(client, plan, trial_days=14)
    mark = len(emu.events())
    status, _, html = web.request("POST", f"/checkout/{session.id}", {"card_number": ALWAYS})
    assert 'id="authenticate-fail"' in html
    status, _, html = web.request(
        "POST", f"/checkout/{session.id}", {"card_number": ALWAYS, "authenticate": "fail"}
    )
    assert status == 200 and 'id="error"' in html
    assert "unable to authenticate your payment method" in html
    assert client.v1.checkout.sessions.retrieve(session.id).status == "open"
    assert len(emu.events()) == mark
    # a normal card still works afterwards
    status, _, _ = web.request(
        "POST", f"/checkout/{session.id}", {"card_number": "4242424242424242"}
    )
    assert status == 303


def _subscribed_on_clock(client, web, plan, card, trial_days=7):
    clock = client.v1.test_helpers.test_clocks.create(params={"frozen_time": START}).id
    customer = client.v1.customers.create(params={"email": "o@example.com", "test_clock": clock})
    session = _session(client, plan, customer.id, trial_days)
    web.request(
        "POST", f"/checkout/{session.id}", {"card_number": card, "authenticate": "complete"}
    )
    sub_id = client.v1.checkout.sessions.retrieve(session.id).subscription
    return clock, customer, sub_id


def test_off_session_renewal_on_3184_requires_action_then_owner_pays(
    emu, client, web, plan, receiver
):
    clock, customer, sub_id = _subscribed_on_clock(client, web, plan, ALWAYS)
    mark = len(emu.events())
    client.v1.test_helpers.test_clocks.advance(
        clock, params={"frozen_time": START + 7 * DAY + 2 * HOUR}
    )
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub.status == "past_due"
    invoice = client.v1.invoices.retrieve(sub.latest_invoice)
    assert invoice.status == "open" and invoice.amount_remaining == 900
    types = [e["type"] for e in emu.events()[mark:]]
    assert "invoice.payment_action_required" in types
    assert types.index("invoice.payment_action_required") < types.index(
        "customer.subscription.updated", types.index("invoice.finalized")
    )
    payment = client.v1.invoice_payments.list(params={"invoice": invoice.id}).data[0]
    pi = client.v1.payment_intents.retrieve(payment.payment.payment_intent)
    assert pi.status == "requires_action" and pi.next_action.type == "use_stripe_sdk"
    assert pi.last_payment_error.code == "authentication_required"
    assert_fidelity(pi)
    assert_fidelity(payment)

    # The owner opens the hosted invoice page, authenticates and pays.
    assert invoice.hosted_invoice_url == f"{emu.url}/invoice/{invoice.id}"
    path = urllib.parse.urlsplit(invoice.hosted_invoice_url).path
    status, _, html = web.request("GET", path)
    assert status == 200 and 'id="authenticate-and-pay"' in html and "£9.00" in html
    status, _, html = web.request("POST", path, {"action": "authenticate"})
    assert 'id="authenticate-complete"' in html
    mark = len(emu.events())
    status, headers, _ = web.request(
        "POST", path, {"action": "authenticate", "authenticate": "complete"}
    )
    assert status == 303
    assert [e["type"] for e in emu.events()[mark:]] == [
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
    ]
    assert client.v1.subscriptions.retrieve(sub_id).status == "active"
    assert client.v1.payment_intents.retrieve(pi.id).status == "succeeded"
    _, _, html = web.request("GET", headers["Location"])
    assert 'id="paid"' in html and "Payment complete." in html
    # paying twice is refused
    status, _, _ = web.request("POST", path, {"action": "authenticate", "authenticate": "complete"})
    assert status == 409
    for event in emu.events():
        assert_fidelity(event)
    assert emu.wait_for_webhooks(timeout=10)
    delivered = [e["type"] for e in receiver.delivered()]
    assert "invoice.payment_action_required" in delivered and delivered[-1] == (
        "customer.subscription.updated"
    )


def test_failed_authentication_on_invoice_page_keeps_it_open(emu, client, web, plan):
    clock, customer, sub_id = _subscribed_on_clock(client, web, plan, ALWAYS)
    client.v1.test_helpers.test_clocks.advance(
        clock, params={"frozen_time": START + 7 * DAY + 2 * HOUR}
    )
    invoice = client.v1.invoices.retrieve(client.v1.subscriptions.retrieve(sub_id).latest_invoice)
    path = f"/invoice/{invoice.id}"
    status, _, html = web.request("POST", path, {"action": "authenticate", "authenticate": "fail"})
    assert status == 402 and "Authentication failed" in html
    assert client.v1.invoices.retrieve(invoice.id).status == "open"
    assert client.v1.subscriptions.retrieve(sub_id).status == "past_due"
    # the page now offers a card instead; a good card pays the invoice
    _, _, html = web.request("GET", path)
    assert 'id="pay"' in html
    status, _, _ = web.request("POST", path, {"action": "pay", "card_number": "4242424242424242"})
    assert status == 303
    assert client.v1.invoices.retrieve(invoice.id).status == "paid"
    assert client.v1.subscriptions.retrieve(sub_id).status == "active"


def test_3155_renews_off_session_without_authentication(emu, client, web, plan):
    clock, customer, sub_id = _subscribed_on_clock(client, web, plan, SETUP_ONLY)
    client.v1.test_helpers.test_clocks.advance(
        clock, params={"frozen_time": START + 7 * DAY + 2 * HOUR}
    )
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub.status == "active"
    assert client.v1.invoices.retrieve(sub.latest_invoice).status == "paid"
    assert not emu.events("invoice.payment_action_required")


def test_hostile_invoice_page_requests(emu, client, web, plan):
    status, _, _ = web.request("GET", "/invoice/in_nope")
    assert status == 404
    clock, customer, sub_id = _subscribed_on_clock(client, web, plan, ALWAYS)
    client.v1.test_helpers.test_clocks.advance(
        clock, params={"frozen_time": START + 7 * DAY + 30 * 60}
    )
    draft = client.v1.invoices.retrieve(client.v1.subscriptions.retrieve(sub_id).latest_invoice)
    assert draft.status == "draft"
    status, _, _ = web.request("GET", f"/invoice/{draft.id}")
    assert status == 404  # drafts have no hosted page yet
    client.v1.test_helpers.test_clocks.advance(
        clock, params={"frozen_time": START + 7 * DAY + 2 * HOUR}
    )
    status, _, _ = web.request("POST", f"/invoice/{draft.id}", {"action": "explode"})
    assert status == 400
    status, _, html = web.request(
        "POST", f"/invoice/{draft.id}", {"action": "pay", "card_number": "1234"}
    )
    assert status == 402 and "Your card number is invalid." in html
    assert client.v1.invoices.retrieve(draft.id).status == "open"
