"""A visitor lands on the home page and finds their way around."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_navigation_leads_to_sign_up_and_log_in(page, live_server, site_home):
    page.goto("/")
    assert "MintKit Hub" in page.title()
    nav = page.get_by_role("navigation", name="Main navigation")
    for label in ("Home", "Pricing", "Help", "Log in", "Sign up"):
        assert nav.get_by_role("link", name=label, exact=True).is_visible()

    nav.get_by_role("link", name="Sign up").click()
    page.wait_for_url("**/accounts/signup/")
    assert page.get_by_label("E-mail").first.is_visible()

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Log in"
    ).click()
    page.wait_for_url("**/accounts/login/")

    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Home", exact=True
    ).click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).is_visible()


def test_navigation_collapses_into_a_menu_on_a_phone(page, site_home):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/")
    toggler = page.get_by_role("button", name="Toggle navigation")
    assert toggler.is_visible()
    pricing = page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Pricing"
    )
    assert not pricing.is_visible()
    toggler.click()
    pricing.wait_for(state="visible")
