"""/pricing/ in a real browser for each kind of viewer (issue 13.1, 13.4): the right buttons,
the free month only for those who qualify, the one billing-state banner, and the monthly /
yearly toggle — with the enforcing CSP on (any violation fails the test, see conftest.py)."""

from datetime import timedelta

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from billing.models import Subscription
from billing.tests.factories import SubscriptionFactory, SubscriptionPlanFactory
from tests.browser.session import log_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = timedelta(days=1)
INVOICE_URL = "https://invoice.stripe.test/i/in_3ds"


@pytest.fixture
def priced(site_home, settings):
    settings.HUB_TRIAL_DAYS = 14
    settings.STRIPE_TRIAL_DAYS = 30
    SubscriptionPlanFactory(name="Basic", slug="basic", amount=900, sort_order=10)
    return SubscriptionPlanFactory(name="Pro", slug="pro", amount=1900, sort_order=20)


def sign_in_as(page, live_server, state, pro):
    now = timezone.now()
    profile = ProfileFactory()
    profile.trial_started_at = now - (2 * DAY if state == "trial" else 40 * DAY)
    profile.save()
    S = Subscription.Status
    sub = {
        "subscriber": {"status": S.ACTIVE},
        "returning": {
            "status": S.CANCELED,
            "current_period_start": now - 35 * DAY,
            "current_period_end": now - 5 * DAY,
        },
        "past_due": {"status": S.PAST_DUE, "past_due_since": now - DAY},
        "action_required": {
            "status": S.PAST_DUE,
            "past_due_since": now - DAY,
            "action_required_invoice_id": "in_3ds",
            "action_required_url": INVOICE_URL,
            "action_required_amount": 1900,
            "action_required_currency": "gbp",
        },
    }.get(state)
    if sub:
        SubscriptionFactory(profile=profile, plan=pro, **sub)
    log_in(page.context, live_server, profile.user)


def card(page, slug):
    return page.locator(f'article[data-plan="{slug}"]')


def test_anonymous_sees_prices_free_month_and_a_working_yearly_toggle(page, priced):
    page.goto("/pricing/")
    expect(card(page, "pro").get_by_role("link", name="Subscribe to Pro")).to_be_visible()
    expect(card(page, "pro").locator(".plan-trial")).to_have_text("First month free")
    expect(card(page, "pro").locator(".plan-price")).to_contain_text("£19")
    expect(page.locator(".billing-state-banner")).to_have_count(0)
    page.get_by_role("link", name="Yearly").click()
    page.wait_for_url("**/pricing/?interval=year")
    expect(card(page, "pro").locator(".plan-price")).to_contain_text("£190.00")
    expect(card(page, "pro").locator(".plan-price")).to_contain_text("/ year")
    page.get_by_role("link", name="Monthly").click()
    expect(card(page, "pro").locator(".plan-price")).to_contain_text("£19.00 ")


def test_trial_owner_sees_subscribe_and_the_free_month(page, live_server, priced):
    sign_in_as(page, live_server, "trial", priced)
    page.goto("/pricing/")
    expect(card(page, "basic").get_by_role("button", name="Subscribe to Basic")).to_be_visible()
    expect(card(page, "pro").locator(".plan-trial")).to_have_text("First month free")
    expect(page.locator(".billing-state-banner")).to_have_count(0)  # 12 days left: no news


def test_subscriber_sees_their_plan_and_switch(page, live_server, priced):
    sign_in_as(page, live_server, "subscriber", priced)
    page.goto("/pricing/")
    pro = card(page, "pro")
    expect(pro.locator(".plan-yours")).to_have_text("Your plan")
    year = (timezone.now() + 30 * DAY).year
    expect(pro.locator(".plan-next-charge")).to_contain_text("Next charge: £19.00 on")
    expect(pro.locator(".plan-next-charge")).to_contain_text(str(year))
    expect(pro.get_by_role("button")).to_have_count(0)
    expect(card(page, "basic").get_by_role("button", name="Switch to Basic")).to_be_visible()
    expect(page.get_by_text("First month free")).to_have_count(0)
    page.get_by_role("link", name="Yearly").click()
    expect(card(page, "pro").get_by_role("button", name="Switch to yearly billing")).to_be_visible()


def test_returning_customer_gets_no_free_month_and_a_reason(page, live_server, priced):
    sign_in_as(page, live_server, "returning", priced)
    for url in ("/pricing/", "/studio/", "/dashboard/", "/accounts/signup/"):
        page.goto(url)
        expect(page.get_by_text("First month free")).to_have_count(0)
    page.goto("/pricing/")
    expect(
        page.locator(".billing-no-trial", has_text="Your first month was free earlier")
    ).to_have_count(1)
    expect(page.get_by_text("billing starts the day you subscribe")).to_be_visible()
    expect(card(page, "pro").locator(".plan-trial")).to_have_count(0)
    expect(card(page, "pro").get_by_role("button", name="Subscribe to Pro")).to_be_visible()
    expect(page.locator(".billing-state-banner")).to_contain_text("Your Pro plan ended on")


def test_past_due_sees_one_banner_with_update_card(page, live_server, priced):
    sign_in_as(page, live_server, "past_due", priced)
    for url in ("/pricing/", "/dashboard/", "/studio/"):
        page.goto(url)
        banner = page.locator(".billing-state-banner")
        expect(banner).to_have_count(1)
        expect(banner).to_contain_text("Your last payment failed. Update your card by")
        expect(banner.get_by_role("button", name="Update card")).to_be_visible()
        expect(page.get_by_text("First month free")).to_have_count(0)
    page.goto("/pricing/")
    expect(card(page, "pro").get_by_role("button", name="Update card")).to_be_visible()
    expect(card(page, "basic").get_by_role("button")).to_have_count(0)
    expect(card(page, "basic").locator(".plan-note")).to_have_text(
        "Update your card first; then you can switch plans."
    )
    expect(page.get_by_text("Subscribe to")).to_have_count(0)
    page.goto("/dashboard/")
    expect(page.locator(".billing-status")).to_have_text("Payment failed — update your card")


def test_action_required_everything_points_to_confirming_the_payment(page, live_server, priced):
    """A renewal waiting for 3-D Secure: the banner, the owner's plan card and the dashboard
    all say "confirm the payment" and link to Stripe's hosted invoice page; no plan button
    contradicts it (no "Subscribe", no "Switch", no "Update card")."""
    sign_in_as(page, live_server, "action_required", priced)
    for url in ("/pricing/", "/dashboard/", "/studio/", "/dashboard/profile/"):
        page.goto(url)
        banner = page.locator(".billing-state-banner")
        expect(banner).to_have_count(1)
        expect(banner).to_contain_text("Confirm your payment of £19.00")
        link = banner.get_by_role("link", name="Confirm payment")
        expect(link).to_have_attribute("href", INVOICE_URL)
        expect(page.get_by_text("First month free")).to_have_count(0)
        expect(page.get_by_role("button", name="Update card")).to_have_count(0)
    page.goto("/pricing/")
    pro = card(page, "pro")
    expect(pro.locator(".plan-yours")).to_have_text("Your plan")
    expect(pro.get_by_role("link", name="Confirm payment")).to_have_attribute("href", INVOICE_URL)
    expect(pro.locator(".plan-note")).to_contain_text("confirm the payment of £19.00")
    expect(card(page, "basic").get_by_role("button")).to_have_count(0)
    expect(card(page, "basic").locator(".plan-note")).to_have_text(
        "Confirm your payment first; then you can switch plans."
    )
    expect(page.get_by_text("Subscribe to")).to_have_count(0)
    page.goto("/dashboard/")
    expect(page.locator(".billing-status")).to_have_text(
        "Payment of £19.00 waits for your confirmation"
    )


def test_subscriber_switches_plan_through_stripe(page, live_server, site_home, emu, settings):
    """Pricing → "Switch to Basic" → Stripe's preview → confirm → the dashboard shows Basic
    (the emulator and the real SDK; never a second subscription)."""
    from billing import seed

    class Quiet:
        def write(self, _):
            pass

    settings.STRIPE_TRIAL_DAYS = 0
    seed.run(stdout=Quiet())
    sign_in_as(page, live_server, "trial", None)
    page.goto("/pricing/")
    card(page, "pro").get_by_role("button", name="Subscribe to Pro").click()
    page.wait_for_url("**/checkout/cs_*")
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.locator("#submit").click()
    page.wait_for_url("**/billing/success/?session_id=cs_*")
    expect(page.locator(".billing-what-next")).to_contain_text("Every invoice and receipt")

    page.goto("/pricing/")
    expect(card(page, "pro").locator(".plan-yours")).to_have_text("Your plan")
    card(page, "basic").get_by_role("button", name="Switch to Basic").click()
    page.wait_for_url("**/billing/change/basic/?interval=month")
    expect(page.locator("#credit")).to_contain_text("taken off your next invoices")
    expect(page.locator("#new-price")).to_contain_text("£9.00 a month")
    page.get_by_role("button", name="Confirm: switch to Basic").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_text("You're now on the Basic plan, billed monthly.")).to_be_visible()
    expect(page.locator(".billing-status")).to_contain_text("Basic plan — renews")
    assert Subscription.objects.count() == 1
