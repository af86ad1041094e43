"""What the owner sees of Studio sales: the dashboard line and the stats page's section."""

import datetime as dt
import json

from django.test import Client
from django.utils import timezone

import pytest

from billing.tests.factories import MintKitAccessFactory
from sales.models import StudioEvent
from sales.selectors import sales_summary_for_profile
from storefronts.tests.factories import StorefrontFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

KEY = "k-studio-123"


@pytest.fixture
def owner(settings):
    settings.MINTKIT_API_KEY = KEY
    profile = ProfileFactory(business_name="Mint & Co")
    client = Client()
    client.force_login(profile.user)
    client.profile = profile
    client.access = MintKitAccessFactory(profile=profile)
    return client


def report(owner, event_id, **changes):
    body = {
        "id": event_id,
        "external_id": owner.access.external_id,
        "type": "sale",
        "product_kind": "gift_card",
        "amount": 2500,
        "currency": "GBP",
        "occurred_at": timezone.now().isoformat(),
        **changes,
    }
    response = Client().post(
        "/api/v1/studio/events",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {KEY}",
    )
    assert response.status_code == 201, response.content
    return response


def test_dashboard_shows_two_sales_after_two_api_calls(owner):
    html = owner.get("/dashboard/").content.decode()
    assert 'data-testid="sales-line">0 sales · £0.00<' in html
    report(owner, "evt_1")
    report(owner, "evt_2", product_kind="ticket")
    html = owner.get("/dashboard/").content.decode()
    assert 'data-testid="sales-line">2 sales · £50.00<' in html
    assert "0 redemptions" in html


def test_dashboard_counts_one_sale_redemptions_and_each_currency(owner):
    report(owner, "evt_1", amount=1999)
    report(owner, "evt_2", currency="EUR", amount=1000)
    report(owner, "evt_3", type="redemption", amount=2500)
    report(owner, "evt_4", type="redemption", occurred_at="2020-01-01T10:00:00Z")  # too old
    html = owner.get("/dashboard/").content.decode()
    assert "2 sales · £19.99 + €10.00" in html
    assert 'data-testid="redemptions-line">1 redemption<' in html
    report(owner, "evt_5", amount=1)
    summary = sales_summary_for_profile(profile=owner.profile)
    assert summary.sales_line == "3 sales · £20.00 + €10.00"
    one = sales_summary_for_profile(profile=owner.profile, days=1)
    assert one.sales == 3 and one.redemptions == 1


def test_another_business_sales_are_not_shown(owner):
    other = MintKitAccessFactory(profile=ProfileFactory())
    report(owner, "evt_theirs", external_id=other.external_id, amount=99900)
    html = owner.get("/dashboard/").content.decode()
    assert "0 sales · £0.00" in html


def test_stats_page_shows_the_storefronts_sales_by_day(owner):
    storefront = StorefrontFactory(profile=owner.profile, slug="mint-salon")
    report(owner, "evt_1", storefront="mint-salon")
    report(owner, "evt_2", storefront="mint-salon", amount=1000, currency="GBP")
    report(owner, "evt_3", storefront="mint-salon", type="redemption")
    report(owner, "evt_4", amount=7000)  # no storefront: the dashboard's only
    yesterday = timezone.now() - dt.timedelta(days=1)
    report(owner, "evt_5", storefront="mint-salon", occurred_at=yesterday.isoformat())
    html = owner.get("/dashboard/storefront/stats/").content.decode()
    assert "Studio sales" in html
    assert 'data-testid="sales-line">3 sales · £60.00<' in html
    assert 'data-testid="redemptions-line">1 redemption<' in html
    today = timezone.localtime(timezone=None).date()
    assert f"{today:%a} {today.day} {today:%b}: 2 sales, 1 redemption" in html
    assert storefront.studio_events.count() == 4
    assert "4 sales · £130.00" in owner.get("/dashboard/").content.decode()


def test_a_deleted_storefront_keeps_its_sales_on_the_dashboard(owner):
    storefront = StorefrontFactory(profile=owner.profile, slug="mint-salon")
    report(owner, "evt_1", storefront="mint-salon")
    storefront.delete()
    assert StudioEvent.objects.get().storefront is None
    assert "1 sale · £25.00" in owner.get("/dashboard/").content.decode()
