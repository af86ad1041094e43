"""Storefront themes in the browser: every theme passes axe (no serious or critical
violation) on a phone (390 px) and a laptop (1366 px), with a brand colour right at the
contrast limit; the editor's preview follows the theme select and colour before saving; and
without JavaScript the select alone is there.

Phone screenshots of the four themes: set ``SAVE_THEME_SCREENSHOTS=1`` to write them to
docs/screenshots/theme-<name>-phone.png (otherwise they go to the test's temporary folder).
"""

import io
import os
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from accounts.images import owner_image_save
from storefronts.models import Storefront
from storefronts.tests.factories import OfferFactory, OpeningHoursFactory, StorefrontFactory
from tests.browser import test_a11y
from tests.browser.session import log_in
from tests.browser.test_a11y import WIDTHS, axe_violations, describe
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEMES = ["classic", "bold", "minimal", "warm"]
# #767676 gives white text 4.54:1, just over the 4.5:1 the brand colour must reach: if a
# theme put the brand colour on anything but white (or white on it), axe would catch it.
LIMIT_COLOUR = "#767676"
axe_context = test_a11y.axe_context  # the same fixture: axe injected past the CSP
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def picture(name: str, size: tuple[int, int], draw) -> object:
    image = Image.new("RGB", size, "#f4efe6")
    draw(ImageDraw.Draw(image), size)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    upload = SimpleUploadedFile(f"{name}.png", buffer.getvalue(), content_type="image/png")
    return owner_image_save(upload=upload, title=name)


def cover_drawing(draw, size):
    width, height = size
    for x in range(0, width, 40):
        shade = 120 + (x * 100 // width)
        draw.rectangle([x, 0, x + 40, height], fill=(shade, 150, 130))
    draw.ellipse([width // 2 - 150, 40, width // 2 + 150, 340], fill="#e9d8a6")


def logo_drawing(draw, size):
    draw.ellipse([20, 20, size[0] - 20, size[1] - 20], fill="#0b6e4f")
    draw.rectangle([size[0] // 2 - 12, 50, size[0] // 2 + 12, size[1] - 50], fill="#ffffff")


def themed_storefront(theme: str, brand_colour: str = "#0b6e4f") -> Storefront:
    profile = ProfileFactory(
        business_name="Mint & Co",
        phone="+442079460958",
        logo=picture("logo", (240, 240), logo_drawing),
    )
    storefront = StorefrontFactory(
        profile=profile,
        name="Mint & Co",
        slug=f"mint-and-co-{theme}",
        headline="Hair, colour and calm in Leyton",
        description=(
            "A small salon on the High Road since 2014.\n\n"
            "Walk-ins welcome on weekday mornings; gift cards for every occasion."
        ),
        theme=theme,
        brand_colour=brand_colour,
        cover=picture("cover", (1600, 480), cover_drawing),
        street="1 High Road",
        town="London",
        postcode="E10 5AA",
        instagram_url="https://www.instagram.com/mintandco",
    )
    for title, kind, price in [
        ("Gift card", "gift_card", "from £20"),
        ("Cut and finish", "service", "£45"),
        ("Colour workshop", "ticket", "£30"),
    ]:
        OfferFactory(storefront=storefront, title=title, kind=kind, price_text=price)
    for day in range(6):
        OpeningHoursFactory(storefront=storefront, weekday=day)
    return storefront


@pytest.mark.parametrize("theme", THEMES)
def test_every_theme_passes_axe_at_phone_and_laptop_width(axe_context, theme, tmp_path):
    storefront = themed_storefront(theme, brand_colour=LIMIT_COLOUR)
    page = axe_context.new_page()
    found = {}
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.goto(storefront.get_absolute_url())
        expect(page.locator("body")).to_have_attribute("data-theme", theme)
        violations = axe_violations(page)
        if violations:
            found[f"{theme} @ {width}"] = violations
    page.close()
    assert not found, "axe-core violations:\n" + describe(found)


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_looks_its_own_on_a_phone(page, live_server, theme, tmp_path):
    storefront = themed_storefront(theme)
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(storefront.get_absolute_url())
    name = page.locator(".storefront-name")
    hero = page.locator(".storefront-hero")
    style = name.evaluate(
        "el => { const s = getComputedStyle(el), h = getComputedStyle(el.closest('header'));"
        " return {transform: s.textTransform, family: s.fontFamily, colour: s.color,"
        " hero: h.backgroundColor, body: getComputedStyle(document.body).backgroundColor}; }"
    )
    brand = "rgb(11, 110, 79)"
    expected = {
        "classic": style["hero"] == brand and style["colour"] == "rgb(255, 255, 255)",
        "bold": style["transform"] == "uppercase" and style["hero"] == brand,
        "minimal": style["hero"] == "rgb(255, 255, 255)" and style["colour"] == brand,
        "warm": "Georgia" in style["family"] and style["body"] == "rgb(251, 246, 238)",
    }
    assert expected[theme], style
    expect(hero).to_be_visible()
    folder = SCREENSHOTS if os.environ.get("SAVE_THEME_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"theme-{theme}-phone.png"))


def test_the_editor_preview_follows_the_theme_and_colour_before_saving(page, live_server):
    storefront = themed_storefront("classic")
    log_in(page.context, live_server, storefront.profile.user)
    page.goto("/dashboard/storefront/#section-look")
    preview = page.get_by_test_id("theme-preview")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("data-theme", "classic")
    name = preview.locator(".storefront-name")
    expect(name).to_have_css("text-transform", "none")

    page.get_by_label("Theme").select_option("bold")
    expect(preview).to_have_attribute("data-theme", "bold")
    expect(name).to_have_css("text-transform", "uppercase")
    page.get_by_label("Theme").select_option("minimal")
    expect(preview.locator(".storefront-hero")).to_have_css(
        "background-color", "rgb(255, 255, 255)"
    )
    page.locator("#id_brand_colour").fill("#7a1f5c")
    expect(name).to_have_css("color", "rgb(122, 31, 92)")

    storefront.refresh_from_db()
    assert (storefront.theme, storefront.brand_colour) == ("classic", "#0b6e4f")  # not saved

    page.get_by_test_id("save-bar").get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your changes are saved.")).to_be_visible()
    storefront.refresh_from_db()
    assert (storefront.theme, storefront.brand_colour) == ("minimal", "#7a1f5c")


def test_without_javascript_the_theme_is_a_plain_select(browser, live_server):
    storefront = themed_storefront("warm")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page.context, live_server, storefront.profile.user)
    page.goto("/dashboard/storefront/#section-look")
    page.locator("#section-look > summary").click()
    select = page.get_by_label("Theme")
    expect(select).to_be_visible()
    expect(select).to_have_value("warm")
    expect(page.get_by_test_id("theme-preview-figure")).to_be_hidden()
    context.close()
