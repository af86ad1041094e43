import re

from django.core.cache import cache
from django.test import override_settings

from wagtail.models import Site

import pytest

from home.models import HelpPage
from storefronts.models import Storefront
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def locs(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def test_sitemap_xml_is_an_index_of_section_files(client, seeded_site):
    response = client.get("/sitemap.xml")
    assert "<sitemapindex" in response.content.decode()
    assert locs(response) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-storefronts.xml",
    ]


def test_sections_list_live_pages_and_published_storefronts_only(client, seeded_site):
    Storefront.objects.create(
        profile=ProfileFactory(), name="Willow Beauty", slug="willow", is_active=True
    )
    Storefront.objects.create(
        profile=ProfileFactory(), name="Hidden Gym", slug="hidden-gym", is_active=False
    )
    HelpPage.objects.get(slug="using-mintkit-studio").unpublish()

    pages = locs(client.get("/sitemap-pages.xml"))
    for path in ("/", "/pricing/", "/help/", "/help/getting-started/"):
        assert f"http://testserver{path}" in pages
    assert not any("using-mintkit-studio" in loc for loc in pages)
    storefronts = client.get("/sitemap-storefronts.xml")
    assert locs(storefronts) == ["http://testserver/storefront/willow/"]
    assert "<lastmod>" in storefronts.content.decode()


@override_settings(WAGTAILADMIN_BASE_URL="https://hub.example")
def test_every_url_uses_the_configured_host_not_localhost_or_the_request(client, seeded_site):
    from home.site_host import site_follow_configured_host

    site_follow_configured_host()  # what every `migrate` does with the configured host
    Storefront.objects.create(profile=ProfileFactory(), name="Ash", slug="ash", is_active=True)
    everything = (
        locs(client.get("/sitemap.xml"))
        + locs(client.get("/sitemap-pages.xml"))
        + locs(client.get("/sitemap-storefronts.xml"))
    )
    assert everything and all(loc.startswith("https://hub.example/") for loc in everything)
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://hub.example/sitemap.xml" in robots.splitlines()

    # A Wagtail Site configured with a real host name wins.
    cache.clear()
    Site.objects.filter(is_default_site=True).update(hostname="mintkit.shop", port=443)
    pages = locs(client.get("/sitemap-pages.xml", HTTP_HOST="mintkit.shop"))
    assert pages and all(loc.startswith("https://mintkit.shop/") for loc in pages)


def test_storefronts_are_split_into_sections_of_at_most_the_limit(client, seeded_site, monkeypatch):
    from storefronts import sitemaps

    monkeypatch.setattr(sitemaps.StorefrontSitemap, "limit", 2)
    Storefront.objects.bulk_create(
        [
            Storefront(profile=ProfileFactory(), name=f"S{n}", slug=f"s-{n}", is_active=True)
            for n in range(5)
        ]
    )
    index = locs(client.get("/sitemap.xml"))
    assert index[1:] == [f"http://testserver/sitemap-storefronts.xml?p={n}" for n in (1, 2, 3)]
    sections = [locs(client.get("/sitemap-storefronts.xml", {"p": n})) for n in (1, 2, 3)]
    assert [len(s) for s in sections] == [2, 2, 1]
    assert sum(sections, []) == [f"http://testserver/storefront/s-{n}/" for n in range(5)]


@pytest.mark.parametrize("p", ["0", "4", "-1", "abc", "9" * 50, "1.5", "\x00"])
def test_a_hostile_or_missing_section_page_is_a_404(client, seeded_site, p):
    assert client.get("/sitemap-storefronts.xml", {"p": p}).status_code == 404
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_sections_are_cached(client, seeded_site, django_assert_num_queries):
    Storefront.objects.create(profile=ProfileFactory(), name="Oak", slug="oak", is_active=True)
    assert locs(client.get("/sitemap-storefronts.xml")) == ["http://testserver/storefront/oak/"]
    Storefront.objects.create(profile=ProfileFactory(), name="Fir", slug="fir", is_active=True)
    with django_assert_num_queries(0):
        cached = client.get("/sitemap-storefronts.xml")
    assert locs(cached) == ["http://testserver/storefront/oak/"]
    cache.clear()
    assert len(locs(client.get("/sitemap-storefronts.xml"))) == 2


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_points_to_the_index(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in (
        "/dashboard/",
        "/billing/",
        "/studio/",
        "/admin/",
        "/django-admin/",
        "/accounts/",
        "/api/",
    ):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
