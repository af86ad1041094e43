"""The stats chart's readout counts in English: "1 view, 1 click", "2 views, 0 clicks"."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from storefronts.models import OfferDailyStat, StorefrontDailyStat
from storefronts.selectors import storefront_local_date
from storefronts.tests.factories import OfferFactory, StorefrontFactory
from tests.browser.session import log_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_readout_says_one_view_and_one_click(page, live_server, site_home):
    profile = ProfileFactory()
    storefront = StorefrontFactory(profile=profile)
    offer = OfferFactory(storefront=storefront)
    today = storefront_local_date(storefront=storefront)
    StorefrontDailyStat.objects.create(storefront=storefront, date=today, views=1)
    OfferDailyStat.objects.create(offer=offer, date=today, clicks=1)
    StorefrontDailyStat.objects.create(
        storefront=storefront, date=today - dt.timedelta(days=1), views=2
    )
    log_in(page.context, live_server, profile.user)
    page.goto("/dashboard/storefront/stats/")
    readout = page.locator(".js-stats-readout")
    expect(readout).to_have_text(f"{today:%a} {today.day} {today:%b}: 1 view, 1 click")
    page.locator(".stats-day").last.press("ArrowLeft")
    expect(readout).to_contain_text(": 2 views, 0 clicks")
