"""The storefront editor on a phone (390 px): sections with a Save bar that stays in view,
chosen images kept after a refused submit, links typed the way people type them, the
"Same hours every weekday" shortcut, special dates that open when times are typed, and
hours rows whose Remove buttons keep clear of the next row."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from storefronts.models import Storefront
from storefronts.tests.factories import StorefrontFactory
from tests.browser.session import log_in
from tests.browser.test_storefronts import live_rows
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
EDIT = "/dashboard/storefront/"


def png_file(tmp_path, name="sunny-logo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (80, 80), "orange").save(buffer, "PNG")
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def start(page, live_server, **profile):
    owner = ProfileFactory(business_name="Sunnyside Café", **profile)
    page.set_viewport_size(PHONE)
    log_in(page.context, live_server, owner.user)
    page.goto(EDIT)
    return owner


def save_button(page, name="Create storefront"):
    return page.get_by_test_id("save-bar").get_by_role("button", name=name)


def test_the_save_bar_stays_in_view_while_scrolling_the_whole_editor(page, live_server, site_home):
    start(page, live_server)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 3 * PHONE["height"]  # a new storefront shows every section open
    for y in (0, height // 3, height // 2, height - PHONE["height"]):
        page.evaluate(f"window.scrollTo(0, {y})")
        expect(save_button(page)).to_be_in_viewport()
    box = save_button(page).bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"] and box["width"] > 300


def test_a_saved_storefronts_sections_start_collapsed_and_open_from_the_links(
    page, live_server, site_home
):
    owner = ProfileFactory()
    StorefrontFactory(profile=owner)
    page.set_viewport_size(PHONE)
    log_in(page.context, live_server, owner.user)
    page.goto(EDIT)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, height  # five headings, not ~9,100 px of fields
    expect(page.get_by_label("Street")).to_be_hidden()
    page.get_by_role("navigation", name="Editor sections").get_by_role(
        "link", name="Contact"
    ).click()
    expect(page.get_by_label("Street")).to_be_visible()
    expect(save_button(page, "Save changes")).to_be_in_viewport()


@pytest.fixture
def root_collection(db):
    # A transactional test database starts without Wagtail's root collection.
    from wagtail.models import Collection

    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")


def test_chosen_images_are_kept_after_a_refused_submit(
    page, live_server, site_home, tmp_path, root_collection
):
    start(page, live_server)
    page.get_by_label("Logo", exact=True).set_input_files(png_file(tmp_path))
    page.get_by_label("Cover image", exact=True).set_input_files(png_file(tmp_path, "shop.png"))
    page.get_by_role("button", name="Add opening hours").click()
    row = live_rows(page, "hours").last
    row.get_by_label("Weekday").select_option(label="Monday")
    row.get_by_label("Opens").fill("17:00")
    row.get_by_label("Closes").fill("09:00")
    save_button(page).click()
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    expect(page.get_by_test_id("logo-kept")).to_contain_text(
        "sunny-logo.png kept — choose another to replace."
    )
    expect(page.get_by_test_id("cover-kept")).to_contain_text("shop.png kept")
    # Fix the hours; the files are not chosen again.
    row = live_rows(page, "hours").first
    row.get_by_label("Opens").fill("09:00")
    row.get_by_label("Closes").fill("17:00")
    save_button(page).click()
    expect(page.get_by_text("Storefront created.")).to_be_visible()
    storefront = Storefront.objects.get()
    assert storefront.logo is not None and storefront.cover is not None
    assert storefront.logo.width == 80


def test_links_are_taken_as_people_type_them(page, live_server, site_home):
    start(page, live_server)
    page.get_by_label("Website").fill("www.example.co.uk")
    page.get_by_label("Instagram").fill("instagram.com/sunnyside")
    page.get_by_label("TikTok").fill("@sunnyside")
    save_button(page).click()
    expect(page.get_by_text("Storefront created.")).to_be_visible()
    storefront = Storefront.objects.get()
    assert (storefront.website_url, storefront.instagram_url, storefront.tiktok_url) == (
        "https://www.example.co.uk",
        "https://instagram.com/sunnyside",
        "https://www.tiktok.com/@sunnyside",
    )


def test_same_hours_every_weekday_copies_mondays_hours(page, live_server, site_home):
    start(page, live_server)
    page.get_by_role("button", name="Add opening hours").click()
    monday = live_rows(page, "hours").last
    monday.get_by_label("Weekday").select_option(label="Monday")
    monday.get_by_label("Opens").fill("08:30")
    monday.get_by_label("Closes").fill("17:30")
    page.get_by_role("button", name="Same hours every weekday").click()
    expect(live_rows(page, "hours")).to_have_count(5)
    expect(page.get_by_role("status").filter(has_text="Tuesday to Friday")).to_contain_text(
        "08:30–17:30"
    )
    # The Remove buttons keep clear of the row below them.
    gaps = page.evaluate(
        """() => {
          const rows = [...document.querySelectorAll(
            ".js-rows[data-prefix='hours'] > .js-row:not(.is-removed)")];
          return rows.slice(0, -1).map((row, i) => {
            const remove = row.querySelector(".js-remove").getBoundingClientRect();
            return rows[i + 1].getBoundingClientRect().top - remove.bottom;
          });
        }"""
    )
    assert len(gaps) == 4 and min(gaps) >= 12, gaps
    save_button(page).click()
    expect(page.get_by_text("Storefront created.")).to_be_visible()
    hours = Storefront.objects.get().opening_hours.order_by("weekday")
    assert [(h.weekday, f"{h.opens:%H:%M}", f"{h.closes:%H:%M}") for h in hours] == [
        (day, "08:30", "17:30") for day in range(5)
    ]


def test_a_special_date_with_times_is_saved_as_open(page, live_server, site_home):
    start(page, live_server)
    page.get_by_role("button", name="Add a special date").click()
    row = live_rows(page, "special").last
    row.locator("input[type=date]").fill("2026-12-24")
    closed = row.get_by_label("Closed all day")
    expect(closed).to_be_checked()
    row.get_by_label("Opens").fill("10:00")
    expect(closed).not_to_be_checked()
    row.get_by_label("Closes").fill("14:00")
    row.get_by_label("Note").fill("Christmas Eve")
    save_button(page).click()
    expect(page.get_by_text("Storefront created.")).to_be_visible()
    special = Storefront.objects.get().special_dates.get()
    assert (special.closed, f"{special.opens:%H:%M}") == (False, "10:00")
