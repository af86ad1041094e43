"""An owner on Pro adds a second storefront from the dashboard and finds it in the list,
then edits it on its own page (issue 17.2)."""

import pytest
from playwright.sync_api import expect

from billing.tests.factories import SubscriptionFactory, SubscriptionPlanFactory
from storefronts.models import Storefront
from storefronts.tests.factories import StorefrontFactory
from tests.browser.session import log_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pro_owner_creates_a_second_storefront_and_sees_it_in_the_list(
    page, live_server, site_home
):
    profile = ProfileFactory(business_name="Bramble & Co")
    pro = SubscriptionPlanFactory(slug="pro", name="Pro", max_storefronts=3)
    SubscriptionFactory(profile=profile, plan=pro)
    StorefrontFactory(profile=profile, name="Bramble Leyton", slug="bramble-leyton")
    log_in(page.context, live_server, profile.user)

    page.goto("/dashboard/")
    page.get_by_test_id("all-storefronts").click()
    expect(page.get_by_role("heading", name="Your storefronts")).to_be_visible()
    expect(page.get_by_test_id("storefront-allowance")).to_contain_text("Your plan allows 3.")

    page.get_by_role("link", name="New storefront").click()
    page.get_by_label("Name").fill("Bramble Hackney")
    page.get_by_label("Web address").fill("admin")
    page.get_by_role("button", name="Create storefront").click()
    expect(page.locator("#id_slug_error")).to_contain_text("reserved")
    page.get_by_label("Web address").fill("bramble-hackney")
    page.get_by_role("button", name="Create storefront").click()

    # On to its own editor, hidden until published.
    expect(page).to_have_url(f"{live_server.url}/dashboard/storefronts/bramble-hackney/")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Bramble Hackney")
    expect(page.get_by_test_id("public-link")).to_have_text(
        f"{live_server.url}/storefront/bramble-hackney/"
    )
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#publish")).to_contain_text("Live")

    page.get_by_role("link", name="Storefronts").click()
    rows = page.get_by_test_id("storefront-list").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Bramble Leyton")
    expect(rows.nth(1)).to_contain_text("Bramble Hackney")
    expect(rows.nth(1)).to_contain_text("Published")
    assert Storefront.objects.filter(profile=profile).count() == 2
