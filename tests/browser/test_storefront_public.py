"""A customer on a phone (390 px) uses a storefront: the contact buttons, Share (the copy-link
fallback), "Add to contacts", today's hours and a special day's status; the owner prints the
counter poster. The browser conftest fails each test on any CSP violation."""

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from storefronts.selectors import storefront_local_date
from storefronts.tests.factories import (
    ALL_CONTACTS,
    OfferFactory,
    OpeningHoursFactory,
    SpecialDateFactory,
    StorefrontFactory,
)
from tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def storefront(site_home):
    storefront = StorefrontFactory(
        name="Sunnyside; Café, & Co",
        slug="sunnyside",
        **ALL_CONTACTS,
    )
    OfferFactory(storefront=storefront, title="Gift card", price_text="£25")
    for weekday in range(7):
        OpeningHoursFactory(
            storefront=storefront, weekday=weekday, opens=dt.time(9), closes=dt.time(17)
        )
    return storefront


def page_size_mm(pdf: bytes) -> tuple[int, int]:
    width, height = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf).groups()
    return round(float(width) / 72 * 25.4), round(float(height) / 72 * 25.4)


def test_contact_buttons_are_there_and_named_at_phone_width(phone, storefront):
    phone.goto("/storefront/sunnyside/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sunnyside; Café, & Co")
    actions = phone.get_by_role("navigation", name="Contact and share")
    for name, href in (
        ("Call 020 7946 0958", "tel:+442079460958"),
        ("E-mail hello@sunny.example", "mailto:hello@sunny.example"),
        (
            "Directions to 1 High Road, Leyton, E10 5AA, United Kingdom (opens your maps app)",
            re.compile(r"^https://www\.google\.com/maps/dir/\?api=1&destination=1%20High"),
        ),
        ("Website", "https://sunny.example"),
        ("Instagram", "https://instagram.com/sunny"),
        ("Facebook", "https://facebook.com/sunny"),
        ("TikTok", "https://www.tiktok.com/@sunny"),
        ("Share", re.compile(r"/storefront/sunnyside/$")),
        ("Add to contacts", "/storefront/sunnyside/contact.vcf"),
    ):
        link = actions.get_by_role("link", name=name, exact=True)
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", href)
        box = link.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (name, box)  # a thumb's target
    # Brand first: no hub navigation or log-in; "Made with MintKit" at the foot.
    expect(phone.get_by_role("link", name="Log in")).to_have_count(0)
    expect(phone.get_by_role("link", name="Made with MintKit")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_share_copies_the_link_when_the_phone_has_no_share_sheet(phone, storefront, live_server):
    phone.context.add_init_script(
        "delete Navigator.prototype.share; delete Navigator.prototype.canShare;"
    )
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    phone.goto("/storefront/sunnyside/")
    expect(phone.get_by_test_id("share-status")).to_be_hidden()
    phone.get_by_role("link", name="Share", exact=True).click()
    expect(phone.get_by_test_id("share-status")).to_have_text("Link copied")
    expect(phone.get_by_test_id("share-status")).to_be_visible()
    assert phone.url == f"{live_server.url}/storefront/sunnyside/"  # stayed on the page
    copied = phone.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/storefront/sunnyside/"


def test_share_uses_the_share_sheet_when_there_is_one(phone, storefront, live_server):
    phone.context.add_init_script(
        "Navigator.prototype.share = function (data) {"
        "  window.__shared = data; return Promise.resolve(); };"
    )
    phone.goto("/storefront/sunnyside/")
    phone.get_by_role("link", name="Share", exact=True).click()
    shared = phone.wait_for_function("window.__shared").json_value()
    assert shared == {
        "title": "Sunnyside; Café, & Co",
        "url": f"{live_server.url}/storefront/sunnyside/",
    }
    expect(phone.get_by_test_id("share-status")).to_be_hidden()


def test_share_is_a_plain_link_without_javascript(browser, storefront, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport=PHONE
    )
    page = context.new_page()
    page.goto("/storefront/sunnyside/")
    page.get_by_role("link", name="Share", exact=True).click()
    assert page.url == f"{live_server.url}/storefront/sunnyside/"
    context.close()


def test_add_to_contacts_downloads_a_vcard(phone, storefront):
    phone.goto("/storefront/sunnyside/")
    with phone.expect_download() as info:
        phone.get_by_role("link", name="Add to contacts").click()
    download = info.value
    assert download.suggested_filename == "sunnyside.vcf"
    card = Path(download.path()).read_bytes().decode()
    assert card.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "\r\nFN:Sunnyside\\; Café\\, & Co\r\n" in card
    assert "\r\nTEL;TYPE=WORK,VOICE:+442079460958\r\n" in card
    assert card.endswith("END:VCARD\r\n")


def test_todays_row_is_highlighted_and_a_special_day_says_why_it_is_closed(phone, storefront):
    today = storefront_local_date(storefront=storefront)
    phone.goto("/storefront/sunnyside/")
    row = phone.locator("tr[aria-current='date']")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"{today:%A}")
    expect(row).to_contain_text("Today")
    expect(row.locator("td")).to_have_css("background-color", "rgb(255, 243, 205)")
    other = phone.locator("table.storefront-hours tr:not([aria-current])").first
    expect(other.locator("td")).not_to_have_css("background-color", "rgb(255, 243, 205)")

    SpecialDateFactory(storefront=storefront, date=today, note="Staff training")
    storefront.save()
    phone.reload()
    expect(phone.get_by_test_id("opening-status")).to_have_text(
        "Closed today — Staff training · opens tomorrow 09:00"
    )
    expect(row).to_contain_text("Closed")
    expect(row).to_contain_text("Staff training")


def test_the_owner_sees_edit_and_prints_the_counter_poster(phone, storefront, live_server):
    log_in(phone.context, live_server, storefront.profile.user)
    phone.goto("/storefront/sunnyside/")
    phone.get_by_test_id("owner-bar").get_by_role("link", name="Counter poster").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sunnyside; Café, & Co")
    expect(phone.get_by_text("Scan to buy a gift card")).to_be_visible()
    expect(phone.get_by_role("img", name="QR code")).to_be_visible()
    expect(phone.get_by_test_id("poster-url")).to_have_text(
        re.sub(r"^https?://", "", live_server.url) + "/storefront/sunnyside"
    )
    expect(phone.get_by_role("button", name="Print")).to_be_visible()  # shown by our script
    phone.emulate_media(media="print")
    expect(phone.get_by_role("button", name="Print")).to_be_hidden()
    expect(phone.get_by_role("link", name="Back to the editor")).to_be_hidden()
    # One A5 page (the size comes from the print CSS's named page).
    pdf = phone.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert page_size_mm(pdf) == (148, 210)  # A5
    phone.emulate_media(media="screen")
    phone.get_by_role("link", name="A4").click()
    phone.emulate_media(media="print")
    pdf = phone.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    assert page_size_mm(pdf) == (210, 297)  # A4
