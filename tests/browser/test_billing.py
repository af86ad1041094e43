"""Paying for MintKit Studio end to end: pricing → Stripe Checkout (the local emulator) →
dashboard → Studio; then a card that fails at the end of the free month moves the owner into
grace and, after ``PAST_DUE_GRACE_DAYS``, out of access.

The emulator delivers signed webhooks to the live server, as Stripe would. The Studio app is
not contacted: its URL is intercepted in the browser. The hub's clock is moved by shifting the
stored ``past_due_since`` back (the emulator's clock moves Stripe's side).
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from billing import seed
from billing.models import MintKitAccess, Subscription
from billing.studio_token import studio_token_verify
from tests.factories import DEFAULT_PASSWORD, ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUDIO_URL = "https://studio.mintkit.test/start"
DAY = 86400


class NullOut:
    def write(self, _):
        pass


@pytest.fixture
def billing_site(site_home, emu, live_server, settings):
    seed.run(stdout=NullOut())  # basic + pro, synced to the emulator
    settings.MINTKIT_STUDIO_URL = STUDIO_URL
    return emu


def webhooks_on(emu, live_server):
    """From now on the emulator POSTs signed events to the live server, as Stripe would.

    Not during checkout: the success page and the first webhooks would write at the same
    moment, which the in-memory SQLite test database cannot take (PostgreSQL can; the
    concurrent-delivery unit test covers it there).
    """
    emu.set_webhook_url(f"{live_server.url}/billing/webhook/")


@pytest.fixture
def studio_visits(page):
    """Navigations to the Studio app, answered in the browser instead of the network."""
    visits = []

    def answer(route):
        visits.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<h1>MintKit Studio</h1>")

    page.route("https://studio.mintkit.test/**", answer)
    return visits


def open_studio(page, studio_visits) -> str:
    page.goto("/studio/")
    page.get_by_role("button", name="Open MintKit Studio").click()
    page.wait_for_url("https://studio.mintkit.test/**")
    expect(page.get_by_role("heading", name="MintKit Studio")).to_be_visible()
    return parse_qs(urlsplit(studio_visits[-1]).query)["token"][0]


def pay_on_hosted_checkout(page, card: str):
    page.wait_for_url("**/checkout/cs_*")
    expect(page.locator("#trial")).to_contain_text("30 days free")
    page.get_by_label("Card number").fill(card)
    page.locator("#submit").click()
    page.wait_for_url("**/billing/success/?session_id=cs_*")


def test_sign_up_subscribe_and_open_studio(page, billing_site, studio_visits, settings):
    page.goto("/pricing/")
    pro = page.locator("article[data-plan=pro]")
    expect(pro).to_contain_text("£19")
    expect(pro).to_contain_text("/ month")
    expect(pro).to_contain_text("First month free")
    pro.get_by_role("link", name="Subscribe to Pro").click()

    page.wait_for_url("**/accounts/signup/**")
    page.get_by_label("E-mail").fill("new@salon.example")
    page.get_by_label("Business name").fill("New Salon")
    page.get_by_label("Password", exact=True).fill("a-Long-unusual-pass-42")
    page.get_by_label("Password (again)").fill("a-Long-unusual-pass-42")
    page.get_by_role("button", name="Create account").click()

    # Straight back to checkout; billing.js presses "Continue to secure checkout" (only for
    # the plan chosen before signing up).
    pay_on_hosted_checkout(page, "4242 4242 4242 4242")
    expect(page.get_by_role("heading", name="You're subscribed")).to_be_visible()

    page.goto("/dashboard/")
    expect(page.locator(".billing-status")).to_contain_text("Pro plan — free until")
    sub = Subscription.objects.get(profile__user__email="new@salon.example")
    assert sub.status == "trialing"

    # End the hub's own trial, so only the subscription can open the Studio.
    Profile.objects.filter(pk=sub.profile_id).update(
        trial_started_at=timezone.now() - timedelta(days=settings.HUB_TRIAL_DAYS, minutes=1)
    )
    page.goto("/dashboard/")
    expect(page.locator(".billing-status")).to_contain_text("Pro plan — free until")
    token = open_studio(page, studio_visits)
    access = MintKitAccess.objects.get(profile=sub.profile)
    assert studio_token_verify(token)["sub"] == access.external_id


def test_failed_renewal_moves_to_grace_then_access_ends(
    page, billing_site, studio_visits, settings, live_server
):
    owner = ProfileFactory(
        business_name="Card Trouble Gym", trial_started_at=timezone.now() - timedelta(days=20)
    )
    page.goto("/accounts/login/")
    page.get_by_label("E-mail").fill(owner.user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")
    expect(page.locator(".billing-status")).to_have_text("No access — choose a plan")

    # A link to the checkout URL (from another site, say) waits for the owner to press.
    page.goto("/billing/checkout/pro/")
    expect(page.get_by_role("button", name="Continue to secure checkout")).to_be_visible()
    page.wait_for_timeout(500)
    assert urlsplit(page.url).path == "/billing/checkout/pro/"

    page.goto("/pricing/")
    page.locator("article[data-plan=pro]").get_by_role("button", name="Subscribe to Pro").click()
    pay_on_hosted_checkout(page, "4000 0000 0000 0341")  # attaches; every charge fails
    page.goto("/dashboard/")
    expect(page.locator(".billing-status")).to_contain_text("Pro plan — free until")

    webhooks_on(billing_site, live_server)
    billing_site.advance(seconds=31 * DAY)  # Stripe's clock: the free month ends, charge fails
    assert billing_site.wait_for_webhooks(timeout=15)
    page.goto("/dashboard/")
    expect(page.locator(".billing-status")).to_have_text("Payment failed — update your card")
    expect(page.locator(".billing-state-banner")).to_contain_text("Your last payment failed")
    expect(page.get_by_role("button", name="Update card")).to_be_visible()
    open_studio(page, studio_visits)  # still allowed in grace

    # The hub's clock: the grace period is over.
    Subscription.objects.filter(profile=owner).update(
        past_due_since=timezone.now() - timedelta(days=settings.PAST_DUE_GRACE_DAYS, minutes=1)
    )
    page.goto("/dashboard/")
    expect(page.locator(".billing-status")).to_contain_text("No access")
    page.goto("/studio/")
    # One story: paused until the payment goes through — no free month, no plan cards.
    expect(
        page.get_by_text("MintKit Studio is paused until your payment goes through")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Open MintKit Studio")).to_have_count(0)
    expect(page.get_by_text("First month free")).to_have_count(0)
    expect(page.get_by_text("Your free trial has ended")).to_have_count(0)
    expect(
        page.locator(".billing-state-banner").get_by_role("button", name="Update card")
    ).to_be_visible()
