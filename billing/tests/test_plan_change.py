"""Plan changes for a subscriber (issue 13.2): Stripe's preview, confirm, Subscription.modify
with the documented proration, and the webhook bringing the new plan everywhere.

Through the emulator and the real SDK; the webhook is delivered from the emulator's events."""

import pytest

from billing.models import Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(settings, plans, pay, deliver):
    """An owner paying (no free month, so money moves at once) for ``plan`` at ``interval``."""
    settings.STRIPE_TRIAL_DAYS = 0

    def run(plan="basic", interval="month"):
        _, status, _ = pay(plan, interval=interval)
        assert status == 303
        deliver()
        return Subscription.objects.get(is_current=True)

    return run


def _stripe_price(emu, sub):
    import stripe

    client = stripe.StripeClient("sk_test_emulator", base_addresses={"api": emu.url})
    item = client.v1.subscriptions.retrieve(sub.stripe_subscription_id)["items"]["data"][0]
    return item["price"]["id"]


def _switch(owner_client, plan, interval):
    """The owner's path: Switch on pricing → preview page → confirm. Returns the preview."""
    response = owner_client.post(f"/billing/checkout/{plan}/", {"interval": interval})
    assert response.status_code == 303
    assert response["Location"] == f"/billing/change/{plan}/?interval={interval}"
    preview = owner_client.get(response["Location"])
    assert preview.status_code == 200, preview.content
    done = owner_client.post(f"/billing/change/{plan}/", {"interval": interval})
    assert done.status_code == 303 and done["Location"] == "/dashboard/"
    return preview.content.decode()


def _plan_everywhere(owner_client, name, slug):
    assert owner_client.get("/api/v1/me/entitlement").json()["plan"] == slug
    assert f"{name} plan" in owner_client.get("/dashboard/").content.decode()
    assert f"{name} plan" in owner_client.get("/studio/").content.decode()


def test_upgrade_is_charged_at_once_and_the_webhook_brings_the_plan(
    paid, owner_client, emu, deliver, plans
):
    sub = paid("basic")
    html = _switch(owner_client, "pro", "month")
    # Stripe's own preview: the prorated difference today (just under £10), then £19.00 a month.
    assert "Charged today" in html and ('id="due-now">£9' in html or 'id="due-now">£10' in html)
    assert "£19.00 a month" in html
    assert Subscription.objects.count() == 1  # never a second subscription
    assert _stripe_price(emu, sub) == plans["pro"].stripe_price_id
    types = [e["type"] for e in emu.events()]
    assert "invoice.paid" in types[types.index("checkout.session.completed") + 1 :]
    # The webhook (customer.subscription.updated) agrees with what the hub recorded.
    Subscription.objects.update(plan=plans["basic"])  # forget, so the webhook must do it
    deliver()
    sub.refresh_from_db()
    assert sub.plan == plans["pro"] and sub.stripe_price_id == plans["pro"].stripe_price_id
    _plan_everywhere(owner_client, "Pro", "pro")


def test_downgrade_applies_at_once_with_a_credit_and_nothing_charged(
    paid, owner_client, emu, deliver, plans
):
    sub = paid("pro")
    invoices_before = [e for e in emu.events() if e["type"] == "invoice.paid"]
    html = _switch(owner_client, "basic", "month")
    assert 'id="credit"' in html and "taken off your next invoices" in html
    assert "£9.00 a month" in html
    deliver()
    sub.refresh_from_db()
    assert sub.plan == plans["basic"] and sub.status == "active"
    assert [e for e in emu.events() if e["type"] == "invoice.paid"] == invoices_before
    _plan_everywhere(owner_client, "Basic", "basic")


def test_monthly_to_yearly_and_back(paid, owner_client, emu, deliver, plans, site_home):
    sub = paid("pro")
    html = _switch(owner_client, "pro", "year")
    assert "£190.00 a year" in html
    deliver()
    sub.refresh_from_db()
    assert sub.plan == plans["pro"] and sub.stripe_price_id == plans["pro"].stripe_price_id_yearly
    assert (sub.current_period_end - sub.current_period_start).days >= 365
    pricing = owner_client.get("/pricing/?interval=year").content.decode()
    assert "Your plan" in pricing and "Next charge: £190.00 on" in pricing
    _switch(owner_client, "basic", "month")
    deliver()
    sub.refresh_from_db()
    assert sub.plan == plans["basic"] and sub.stripe_price_id == plans["basic"].stripe_price_id
    _plan_everywhere(owner_client, "Basic", "basic")


def test_yearly_checkout_maps_to_the_plan(paid, owner_client, plans):
    sub = paid("basic", "year")
    assert sub.plan == plans["basic"]
    assert sub.stripe_price_id == plans["basic"].stripe_price_id_yearly
    assert owner_client.get("/api/v1/me/entitlement").json()["plan"] == "basic"


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_hostile_switches_change_nothing(paid, owner_client, emu, plans):
    sub = paid("pro")
    price = _stripe_price(emu, sub)
    # The same plan at the same interval.
    same = owner_client.post("/billing/change/pro/", {"interval": "month"}, follow=False)
    assert same.status_code == 302
    assert "You're already on the Pro plan, billed monthly. Nothing was changed." in _messages(same)
    # A forged interval, on the switch and on the confirm.
    for url in ("/billing/checkout/basic/", "/billing/change/basic/"):
        forged = owner_client.post(url, {"interval": "fortnight"})
        assert forged.status_code in (302, 303)
        assert "Choose monthly or yearly billing. Nothing was changed." in _messages(forged)
    # A plan taken off sale.
    plans["basic"].is_active = False
    plans["basic"].save()
    off = owner_client.post("/billing/checkout/basic/", {"interval": "month"})
    assert "That plan is not on sale. Nothing was changed." in _messages(off)
    off = owner_client.post("/billing/change/basic/", {"interval": "month"})
    assert "The Basic plan is no longer on sale. Nothing was changed." in _messages(off)
    assert owner_client.get("/billing/change/nope/?interval=month").status_code == 404
    assert _stripe_price(emu, sub) == price
    assert Subscription.objects.count() == 1


def test_double_confirm_switches_once(paid, owner_client, emu, plans):
    sub = paid("basic")
    first = owner_client.post("/billing/change/pro/", {"interval": "month"})
    assert first.status_code == 303
    second = owner_client.post("/billing/change/pro/", {"interval": "month"})
    assert "You're already on the Pro plan, billed monthly. Nothing was changed." in _messages(
        second
    )
    changes = [
        e
        for e in emu.events()
        if e["type"] == "customer.subscription.updated"
        and "items" in (e["data"].get("previous_attributes") or {})
    ]
    assert len(changes) == 1
    sub.refresh_from_db()
    assert sub.plan == plans["pro"]


def test_no_subscription_cannot_use_the_change_page(plans, owner_client):
    response = owner_client.get("/billing/change/pro/?interval=month")
    assert response.status_code == 302 and response["Location"] == "/pricing/"
    assert any("You have no subscription to change" in m for m in _messages(response))


def test_success_page_says_what_happens_next(plans, pay, settings):
    settings.STRIPE_TRIAL_DAYS = 30
    _, _, success = pay("pro")
    html = success.content.decode()
    sub = Subscription.objects.get()
    day = sub.trial_end.astimezone().strftime("%-d %b %Y")
    assert f"Free until {day}, then £19.00 a month." in html
    assert "Nothing is charged today" in html
