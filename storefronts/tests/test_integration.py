"""The storefront's hooks into the rest of the site: sitemap, search, dashboard, admin, seed."""

import io

from django.template.loader import render_to_string
from django.test import RequestFactory

from wagtail.search.backends import get_search_backend

import pytest

from storefronts import seed
from storefronts.dashboard import storefront_panel
from storefronts.models import Storefront, StorefrontDailyStat
from storefronts.sitemaps import StorefrontSitemap
from storefronts.tests.factories import OfferFactory, StorefrontFactory
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_only_active_storefronts_with_lastmod():
    live = StorefrontFactory(slug="live-one")
    StorefrontFactory(slug="draft-one", is_active=False)
    sitemap = StorefrontSitemap(base_url="https://hub.example")
    assert sitemap.get_urls() == [
        {
            "location": "https://hub.example/storefront/live-one/",
            "lastmod": live.updated_at.date().isoformat(),
        }
    ]


def test_search_backend_finds_active_storefronts_by_name_and_description():
    StorefrontFactory(name="Bramble Barbers", description="Hot towel shaves")
    StorefrontFactory(name="Bramble Secret", is_active=False)
    backend = get_search_backend()
    names = [s.name for s in backend.search("Bramble", Storefront.objects.live())]
    assert names == ["Bramble Barbers"]
    assert [s.name for s in backend.search("shaves", Storefront.objects.live())] == [
        "Bramble Barbers"
    ]


def _render_panel(profile):
    request = RequestFactory().get("/dashboard/")
    request.user = profile.user
    return render_to_string(
        "storefronts/includes/dashboard_panel.html", storefront_panel(profile=profile), request
    )


def test_dashboard_panel_none_draft_and_live():
    profile = ProfileFactory()
    assert storefront_panel(profile=profile)["storefront_status"] == "none"
    assert "Build your storefront" in _render_panel(profile)

    storefront = StorefrontFactory(profile=profile, is_active=False)
    assert storefront_panel(profile=profile)["storefront_status"] == "draft"
    assert "Draft" in _render_panel(profile)

    storefront.is_active = True
    storefront.save()
    StorefrontDailyStat.objects.create(
        storefront=storefront, date=storefront.updated_at.date(), views=7
    )
    panel = storefront_panel(profile=profile)
    assert panel["storefront_status"] == "live"
    assert panel["storefront_stats"].total_views == 7
    html = _render_panel(profile)
    assert "Live" in html and "<strong>7</strong> views" in html and "<svg" in html


def test_admin_lists_and_inspects_storefronts_but_cannot_create(client):
    storefront = StorefrontFactory(name="Admin Visible")
    OfferFactory(storefront=storefront, title="Listed offer")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/storefronts/storefront/")
    assert listing.status_code == 200 and "Admin Visible" in listing.text
    assert client.get("/admin/storefronts/storefront/?is_active__exact=0").status_code == 200
    inspect = client.get(f"/admin/storefronts/storefront/inspect/{storefront.pk}/")
    assert inspect.status_code == 200 and "Listed offer" in inspect.text
    assert client.get("/admin/storefronts/storefront/create/").status_code in (302, 403)


def test_seed_creates_the_demo_storefront_once():
    out = io.StringIO()
    seed.run(stdout=out)
    assert "no demo profile" in out.getvalue()
    assert not Storefront.objects.exists()

    ProfileFactory(user__email=seed.DEMO_EMAIL, business_name="Mint & Co")
    seed.run(stdout=io.StringIO())
    seed.run(stdout=io.StringIO())
    storefront = Storefront.objects.get()
    assert storefront.slug == "mint-and-co" and storefront.is_active
    assert storefront.offers.count() == 3
    assert storefront.offers.filter(is_primary=True).count() == 1
    assert storefront.opening_hours.count() == 8
