"""/dashboard/export/: the owner downloads everything the hub holds about their business."""

import datetime as dt
import json

import pytest

from billing.tests.factories import MintKitAccessFactory, SubscriptionFactory
from sales.tests.factories import StudioEventFactory
from storefronts.models import OfferDailyStat, StorefrontDailyStat
from storefronts.tests.factories import (
    OfferFactory,
    OpeningHoursFactory,
    SpecialDateFactory,
    StorefrontFactory,
)
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/export/"


@pytest.fixture
def business():
    profile = ProfileFactory(
        business_name="Mint & Co.", phone="+442079460123", user__email="owner.a@example.com"
    )
    storefront = StorefrontFactory(profile=profile, name="Mint Salon", slug="mint-salon")
    offer = OfferFactory(storefront=storefront, title="Gift card £20")
    OpeningHoursFactory(storefront=storefront, weekday=0, opens=dt.time(9), closes=dt.time(17))
    SpecialDateFactory(storefront=storefront, date=dt.date(2026, 12, 25), note="Christmas")
    StorefrontDailyStat.objects.create(
        storefront=storefront, date=dt.date(2026, 11, 1), views=7, qr_views=5, direct_views=2
    )
    OfferDailyStat.objects.create(offer=offer, date=dt.date(2026, 11, 1), clicks=3)
    SubscriptionFactory(profile=profile, status="active", stripe_subscription_id="sub_A1")
    MintKitAccessFactory(profile=profile, access_count=4)
    StudioEventFactory(event_id="evt_A1", profile=profile, storefront=storefront)
    return profile


def test_owner_downloads_everything_about_their_business(client, business):
    client.force_login(business.user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="mintkit-mint-co-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert list(data) == [
        "format_version",
        "exported_at",
        "account",
        "profile",
        "storefronts",
        "subscriptions",
        "studio_access",
        "studio_sales",
        "not_included",
    ]
    assert data["account"]["email"] == "owner.a@example.com"
    assert "date_joined" in data["account"] and "password" not in data["account"]
    assert data["profile"]["business_name"] == "Mint & Co."
    assert data["profile"]["phone"] == "+442079460123"
    [storefront] = data["storefronts"]
    assert storefront["slug"] == "mint-salon" and storefront["name"] == "Mint Salon"
    assert storefront["offers"][0]["title"] == "Gift card £20"
    assert storefront["offers"][0]["daily_clicks"] == [{"date": "2026-11-01", "clicks": 3}]
    assert storefront["opening_hours"] == [
        {"weekday": 0, "opens": "09:00:00", "closes": "17:00:00"}
    ]
    assert storefront["special_dates"][0]["date"] == "2026-12-25"
    assert storefront["special_dates"][0]["note"] == "Christmas"
    assert storefront["daily_views"] == [
        {
            "date": "2026-11-01",
            "views": 7,
            "qr_views": 5,
            "direct_views": 2,
            "social_views": 0,
            "search_views": 0,
            "other_views": 0,
        }
    ]
    [subscription] = data["subscriptions"]
    assert subscription["stripe_subscription_id"] == "sub_A1"
    assert subscription["status"] == "active" and subscription["plan"]["slug"]
    assert data["studio_access"]["access_count"] == 4
    [sale] = data["studio_sales"]
    assert (sale["event_id"], sale["amount"], sale["storefront"]) == ("evt_A1", 2500, "mint-salon")
    text = response.content.decode()
    for never in ("password", "pbkdf2", "md5$", "card_number", "last4"):
        assert never not in text


def test_anonymous_is_sent_to_log_in(client, business):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/dashboard/export/")


def test_another_owner_gets_only_their_own_data(client, business):
    other = ProfileFactory(business_name="Other Gym", user__email="owner.b@example.com")
    client.force_login(other.user)
    data = client.get(URL).json()
    assert data["account"]["email"] == "owner.b@example.com"
    assert data["storefronts"] == [] and data["subscriptions"] == []
    assert data["studio_access"] is None and data["studio_sales"] == []
    text = json.dumps(data)
    assert "owner.a@example.com" not in text and "mint-salon" not in text and "sub_A1" not in text


def test_export_is_get_only_and_needs_a_business_profile(client, business):
    client.force_login(business.user)
    assert client.post(URL).status_code == 405
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(URL).status_code == 404


def test_deletion_page_says_what_is_kept_and_what_is_erased(client, business):
    client.force_login(business.user)
    page = client.get("/dashboard/account/delete/").content.decode()
    assert "What is erased" in page and "What is kept, and why" in page
    assert "Invoices and payment records stay with Stripe" in page
    assert 'href="/dashboard/export/"' in page
