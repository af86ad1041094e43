import re

import pytest
import stripe

DAY = 86400


@pytest.fixture
def subscribed(client, checkout):
    session, *_ = checkout(trial_days=None)
    return session.customer, session.subscription


def _portal(client, customer):
    return client.v1.billing_portal.sessions.create(
        params={"customer": customer, "return_url": "http://hub.test/account/billing/"}
    )


def _post(web, portal, **form):
    return web.request("POST", f"/portal/{portal.id}", form)


def test_portal_session_and_page(emu, client, web, subscribed):
    customer, sub_id = subscribed
    portal = _portal(client, customer)
    assert portal.id.startswith("bps_") and portal.url == f"{emu.url}/portal/{portal.id}"
    assert portal.customer == customer and portal.return_url == "http://hub.test/account/billing/"
    status, _, html = web.request("GET", f"/portal/{portal.id}")
    assert status == 200
    assert "Pro" in html and "Status: active" in html and "Renews" in html
    for element_id in ("cancel-at-period-end", "cancel-now", "update-card"):
        assert f'id="{element_id}"' in html
    assert 'name="card_number"' in html
    assert 'id="resume"' not in html
    assert re.search(r'href="http://hub.test/account/billing/"[^>]*>Return to', html)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.billing_portal.sessions.create(params={"customer": "cus_nope"})


def test_cancel_at_period_end_and_resume(emu, client, web, subscribed):
    customer, sub_id = subscribed
    portal = _portal(client, customer)
    status, headers, _ = _post(web, portal, action="cancel_at_period_end", subscription=sub_id)
    assert status == 303 and headers["Location"].startswith(f"/portal/{portal.id}")
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub.cancel_at_period_end is True
    assert sub.cancel_at == sub["items"].data[0].current_period_end
    evt = emu.events()[-1]
    assert evt["type"] == "customer.subscription.updated"
    assert evt["data"]["previous_attributes"]["cancel_at_period_end"] is False
    _, _, html = web.request("GET", headers["Location"])
    assert 'id="resume"' in html and "Cancels" in html
    _post(web, portal, action="resume", subscription=sub_id)
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub.cancel_at_period_end is False and sub.cancel_at is None
    evt = emu.events()[-1]
    assert evt["data"]["previous_attributes"]["cancel_at_period_end"] is True


def test_cancel_now(emu, client, web, subscribed):
    customer, sub_id = subscribed
    portal = _portal(client, customer)
    _post(web, portal, action="cancel_now", subscription=sub_id)
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub.status == "canceled" and sub.ended_at is not None
    assert emu.events()[-1]["type"] == "customer.subscription.deleted"
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert "Status: canceled" in html and 'id="cancel-now"' not in html


def test_update_card_pays_past_due_invoice(emu, client, checkout, web):
    session, *_ = checkout(card="4000 0000 0000 0341", trial_days=5)
    emu.advance(6 * DAY)
    sub = client.v1.subscriptions.retrieve(session.subscription)
    assert sub.status == "past_due"
    portal = _portal(client, session.customer)
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert "Status: past_due" in html and "ending 0341" in html
    status, _, html = _post(web, portal, action="update_card", card_number="4000 0000 0000 0002")
    assert status == 200 and "Your card was declined." in html
    mark = len(emu.event_types())
    status, _, _ = _post(web, portal, action="update_card", card_number="4242 4242 4242 4242")
    assert status == 303
    assert emu.event_types()[mark:] == [
        "payment_method.attached",
        "customer.updated",
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
    ]
    sub = client.v1.subscriptions.retrieve(sub.id, params={"expand": ["latest_invoice"]})
    assert sub.status == "active" and sub.latest_invoice.status == "paid"
    assert emu.events()[-1]["data"]["previous_attributes"] == {"status": "past_due"}
    customer = client.v1.customers.retrieve(session.customer)
    assert customer.invoice_settings.default_payment_method == sub.default_payment_method
    # later retries no longer happen: the invoice is paid
    mark = len(emu.event_types())
    emu.advance(10 * DAY)
    assert "invoice.payment_failed" not in emu.event_types()[mark:]


def test_resume_clears_a_cancel_at_timestamp(emu, client, web, subscribed):
    customer, sub_id = subscribed
    end = client.v1.subscriptions.retrieve(sub_id)["items"].data[0].current_period_end
    client.v1.subscriptions.update(sub_id, params={"cancel_at": end})
    portal = _portal(client, customer)
    _, _, html = web.request("GET", f"/portal/{portal.id}")
    assert 'id="resume"' in html and "Cancels" in html
    _post(web, portal, action="resume", subscription=sub_id)
    sub = client.v1.subscriptions.retrieve(sub_id)
    assert sub.cancel_at is None and sub.cancel_at_period_end is False
    assert emu.events()[-1]["data"]["previous_attributes"]["cancel_at"] == end
