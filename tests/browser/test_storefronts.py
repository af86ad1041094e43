"""An owner builds a storefront with the JavaScript editor, publishes it, a customer sees
it, and after unpublishing the customer gets "not found"."""

import re

import pytest
from playwright.sync_api import expect

from storefronts.models import Storefront
from tests.browser.session import log_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def live_rows(page, prefix):
    return page.locator(f".js-rows[data-prefix='{prefix}'] > .js-row:not(.is-removed)")


def test_owner_builds_publishes_and_unpublishes_a_storefront(page, live_server, site_home, browser):
    profile = ProfileFactory(business_name="Bramble & Co")
    log_in(page.context, live_server, profile.user)
    page.goto("/dashboard/storefront/")
    expect(page.get_by_role("heading", name="Build your storefront")).to_be_visible()

    # Name and the live slug preview with its availability check.
    page.get_by_role("textbox", name="Name", exact=True).fill("Bramble Barbers")
    slug = page.get_by_label("Web address")
    slug.fill("bramble-barbers")
    expect(page.locator(".js-slug-url")).to_have_text(
        f"{live_server.url}/storefront/bramble-barbers/"
    )
    expect(page.locator(".js-slug-status")).to_have_text("✓ available")
    slug.fill("admin")
    expect(page.locator(".js-slug-status")).to_contain_text("reserved")
    slug.fill("bramble-barbers")
    expect(page.locator(".js-slug-status")).to_have_text("✓ available")

    headline = page.get_by_label("Headline")
    headline.fill("Sharp cuts in Leyton")
    expect(page.locator("[data-counter-for='id_headline']")).to_have_text("20 / 120 characters")
    page.get_by_role("textbox", name="Description", exact=True).fill(
        "Walk-ins welcome.\n\nHot towel shaves on Fridays."
    )
    page.get_by_label("Category").select_option(label="Hair salon / barber")

    # The blank spare rows of the no-JS form are tucked away; rows come from the buttons.
    expect(live_rows(page, "offers")).to_have_count(0)
    add_offer = page.get_by_role("button", name="Add an offer")
    for title, price in (("Gift card", "from £20"), ("Beard trim voucher", "£15")):
        add_offer.click()
        row = live_rows(page, "offers").last
        row.get_by_label("Title").fill(title)
        row.get_by_label("Price").fill(price)
        row.get_by_label("Link").fill(f"https://studio.mintkit.co.uk/p/{price[-2:]}")
    # A third row added by mistake, then removed without a reload.
    add_offer.click()
    live_rows(page, "offers").last.get_by_label("Title").fill("Oops")
    live_rows(page, "offers").last.get_by_role("button", name="Remove").click()
    expect(live_rows(page, "offers")).to_have_count(2)
    # Reorder: the voucher goes first.
    live_rows(page, "offers").last.get_by_role("button", name="Move up").click()
    expect(live_rows(page, "offers").first.get_by_label("Title")).to_have_value(
        "Beard trim voucher"
    )

    preview = page.get_by_test_id("live-preview")
    expect(preview).to_contain_text("Bramble Barbers")
    expect(preview).to_contain_text("Sharp cuts in Leyton")
    expect(preview.locator("li")).to_have_text(
        [re.compile("Beard trim voucher"), re.compile("Gift card")]
    )

    # Two opening ranges on Monday and one on Saturday.
    add_hours = page.get_by_role("button", name="Add opening hours")
    for day, opens, closes in (
        ("Monday", "09:00", "12:00"),
        ("Monday", "13:00", "18:00"),
        ("Saturday", "10:00", "16:00"),
    ):
        add_hours.click()
        row = live_rows(page, "hours").last
        row.get_by_label("Weekday").select_option(label=day)
        row.get_by_label("Opens").fill(opens)
        row.get_by_label("Closes").fill(closes)

    page.get_by_role("button", name="Create storefront").click()
    expect(page.get_by_text("Storefront created.")).to_be_visible()
    storefront = Storefront.objects.get()
    assert [o.title for o in storefront.offers.all()] == ["Beard trim voucher", "Gift card"]
    assert storefront.opening_hours.count() == 3
    assert not storefront.is_active

    # Publish, with the explanation of what the public will see.
    expect(page.get_by_text("Visitors get “page not found”")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your storefront is live")).to_be_visible()

    # A customer (a new browser context: no cookies) sees the page.
    customer = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    visitor = customer.new_page()
    response = visitor.goto("/storefront/bramble-barbers/")
    assert response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Bramble Barbers")
    expect(visitor.get_by_role("heading", level=3)).to_have_text(
        ["Beard trim voucher", "Gift card"]
    )
    expect(visitor.get_by_role("table")).to_contain_text("09:00–12:00, 13:00–18:00")
    expect(visitor.get_by_text("Not public yet")).to_have_count(0)

    # Unpublish: the customer now gets "not found".
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_text("Your storefront is unpublished")).to_be_visible()
    response = visitor.goto("/storefront/bramble-barbers/")
    assert response.status == 404
    customer.close()

    # The owner still sees the draft, with its banner.
    page.goto("/storefront/bramble-barbers/")
    expect(page.get_by_text("Not public yet.")).to_be_visible()


def test_the_editor_works_with_javascript_off(browser, live_server, site_home):
    profile = ProfileFactory(business_name="Plain Form Ltd")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page.context, live_server, profile.user)
    page.goto("/dashboard/storefront/")
    # No JS: no add/remove buttons, but spare rows and delete boxes are there to use.
    expect(page.get_by_role("button", name="Add an offer")).to_be_hidden()
    page.get_by_role("textbox", name="Name", exact=True).fill("Plain Form Ltd")
    page.get_by_label("Web address").fill("plain-form")
    page.locator("#id_offers-0-title").fill("Gift card")
    page.locator("#id_offers-0-url").fill("https://studio.mintkit.co.uk/p/1")
    page.locator("#id_hours-0-weekday").select_option(label="Tuesday")
    page.locator("#id_hours-0-opens").fill("09:00")
    page.locator("#id_hours-0-closes").fill("08:00")
    page.get_by_role("button", name="Create storefront").click()
    # The server's error sits beside the field, and nothing was saved.
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    expect(page.locator("#id_hours-0-closes_error")).to_have_text(
        "Closing time must be after opening time."
    )
    assert not Storefront.objects.exists()
    page.locator("#id_hours-0-closes").fill("17:00")
    page.get_by_role("button", name="Create storefront").click()
    expect(page.get_by_text("Storefront created.")).to_be_visible()
    storefront = Storefront.objects.get()
    assert storefront.offers.get().title == "Gift card"
    assert storefront.opening_hours.get().weekday == 1
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Your storefront is live")).to_be_visible()
    context.close()
