"""The owner dashboard in a real browser (issue 16): the onboarding checklist follows the
owner (a new owner sees the steps; after publishing, the step is ticked) and the share
panel's Copy button copies the storefront's link — through the Clipboard API, or, when that
is missing, by leaving the link selected with a hint — and without JavaScript the link is a
plain selectable field. The enforcing CSP is on (see conftest.py)."""

from django.conf import settings
from django.test import Client

import pytest
from playwright.sync_api import expect

from storefronts.tests.factories import StorefrontFactory
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def step(page, key):
    return page.locator(f'.onboarding-step[data-step="{key}"]')


def test_new_owner_follows_the_checklist_and_publishing_ticks_its_step(
    page, live_server, site_home
):
    profile = ProfileFactory(business_name="Bramble & Co", phone="")
    StorefrontFactory(profile=profile, slug="bramble", is_active=False)
    log_in(page.context, live_server, profile.user)
    page.goto("/dashboard/")
    checklist = page.get_by_role("region", name="Get set up")
    expect(checklist).to_be_visible()
    expect(checklist.locator(".onboarding-progress")).to_have_text("1 of 6 done")
    expect(step(page, "storefront")).to_have_attribute("data-done", "yes")
    expect(step(page, "storefront")).to_contain_text("(done)")
    for key in ("email", "profile", "publish", "plan", "studio"):
        expect(step(page, key)).to_have_attribute("data-done", "no")
        expect(step(page, key).get_by_role("link")).to_be_visible()

    step(page, "publish").get_by_role("link", name="Publish your storefront").click()
    page.wait_for_url("**/dashboard/storefront/#publish")
    page.locator("#publish").get_by_role("button", name="Publish").click()
    expect(page.locator("#publish")).to_contain_text("Your storefront is public")

    page.goto("/dashboard/")
    expect(step(page, "publish")).to_have_attribute("data-done", "yes")
    expect(step(page, "publish").get_by_role("link")).to_have_count(0)
    expect(page.locator(".onboarding-progress")).to_have_text("2 of 6 done")


@pytest.fixture
def shared(page, live_server, site_home):
    profile = ProfileFactory(business_name="Sunnyside")
    StorefrontFactory(profile=profile, slug="sunnyside", is_active=True)
    log_in(page.context, live_server, profile.user)
    return f"{live_server.url}/storefront/sunnyside/"


def test_copy_button_puts_the_link_on_the_clipboard(page, shared, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/dashboard/")
    panel = page.get_by_role("region", name="Share your storefront")
    expect(panel.get_by_label("Your storefront's link")).to_have_value(shared)
    expect(panel.get_by_role("img", name="QR code that opens your storefront")).to_be_visible()
    assert page.evaluate(
        "() => document.querySelector('.share-qr').naturalWidth"
    )  # the QR SVG loaded (CSP and the owner's view allow it)
    panel.get_by_role("button", name="Copy link").click()
    expect(panel.locator(".share-status")).to_have_text("Link copied")
    assert page.evaluate("() => navigator.clipboard.readText()") == shared
    expect(panel.get_by_role("link", name="Print an A5 poster")).to_have_attribute(
        "href", "/dashboard/storefront/poster/"
    )


def test_without_the_clipboard_api_the_link_is_left_selected(page, shared):
    page.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: undefined});"
        "document.execCommand = () => false;"
    )
    page.goto("/dashboard/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".share-status")).to_contain_text("Press Ctrl+C")
    selected = page.evaluate(
        "() => { const f = document.getElementById('share-url');"
        " return f.value.slice(f.selectionStart, f.selectionEnd); }"
    )
    assert selected == shared


def test_without_javascript_the_link_is_a_selectable_field(browser, live_server, shared, page):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        for cookie in page.context.cookies():
            context.add_cookies([cookie])
        nojs = context.new_page()
        nojs.goto("/dashboard/")
        expect(nojs.get_by_label("Your storefront's link")).to_have_value(shared)
        expect(nojs.get_by_role("button", name="Copy link")).to_be_hidden()
    finally:
        context.close()
