"""The stats chart's readout counts in English: "1 view, 1 click", "2 views, 0 clicks"."""

import datetime as dt

from django.conf import settings
from django.test import Client
from django.utils import timezone

import pytest
from playwright.sync_api import expect

from sales.models import StudioEvent
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
    views_chart = page.locator(".js-stats-chart").first
    readout = views_chart.locator(".js-stats-readout")
    expect(readout).to_have_text(f"{today:%a} {today.day} {today:%b}: 1 view, 1 click")
    views_chart.locator(".stats-day").last.press("ArrowLeft")
    expect(readout).to_contain_text(": 2 views, 0 clicks")


def test_sales_chart_readout_counts_sales_and_redemptions(page, live_server, site_home):
    profile = ProfileFactory(business_name="Mint & Co")
    storefront = StorefrontFactory(profile=profile, slug="mint-salon")
    now = timezone.now()
    for i, (kind, when) in enumerate(
        [("sale", now), ("sale", now), ("redemption", now), ("sale", now - dt.timedelta(days=1))]
    ):
        StudioEvent.objects.create(
            event_id=f"evt_{i}",
            profile=profile,
            storefront=storefront,
            type=kind,
            product_kind="gift_card",
            amount=2500,
            currency="GBP",
            occurred_at=when,
        )
    client = Client()
    client.force_login(profile.user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/dashboard/")
    expect(page.get_by_test_id("sales-panel")).to_contain_text("3 sales · £75.00")
    page.goto("/dashboard/storefront/stats/")
    section = page.get_by_test_id("studio-sales")
    expect(section.get_by_test_id("sales-line")).to_have_text("3 sales · £75.00")
    today = storefront_local_date(storefront=storefront)
    readout = section.locator(".js-stats-readout")
    expect(readout).to_have_text(f"{today:%a} {today.day} {today:%b}: 2 sales, 1 redemption")
    section.locator(".stats-day").last.press("ArrowLeft")
    expect(readout).to_contain_text(": 1 sale, 0 redemptions")
