"""Counts read as English: "1 view", "2 views", on the stats page and the dashboard."""

import datetime as dt
import re

import pytest

from storefronts.models import OfferDailyStat, StorefrontDailyStat
from storefronts.tests.factories import OfferFactory, StorefrontFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_with_one_view_and_one_click(client):
    profile = ProfileFactory()
    storefront = StorefrontFactory(profile=profile)
    offer = OfferFactory(storefront=storefront, title="Gift card")
    today = dt.date.today()
    StorefrontDailyStat.objects.create(storefront=storefront, date=today, views=1)
    OfferDailyStat.objects.create(offer=offer, date=today, clicks=1)
    client.force_login(profile.user)
    return client


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_stats_chart_says_one_view_and_one_click(owner_with_one_view_and_one_click):
    text = text_of(owner_with_one_view_and_one_click.get("/dashboard/storefront/stats/"))
    assert "1 view, 1 click</title>" in text
    assert ": 1 view</title>" in text and ": 1 click</title>" in text
    assert "1 views" not in text and "1 clicks" not in text


def test_dashboard_says_one_view(owner_with_one_view_and_one_click):
    text = text_of(owner_with_one_view_and_one_click.get("/dashboard/"))
    assert "<strong>1</strong> view," in text
    assert "1 views" not in text
