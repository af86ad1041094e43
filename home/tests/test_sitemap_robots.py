import pytest

from home.models import HelpPage
from storefronts.models import Storefront
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_live_pages_and_published_storefronts_only(client, seeded_site):
    Storefront.objects.create(
        profile=ProfileFactory(), name="Willow Beauty", slug="willow", is_active=True
    )
    Storefront.objects.create(
        profile=ProfileFactory(), name="Hidden Gym", slug="hidden-gym", is_active=False
    )
    draft = HelpPage.objects.get(slug="using-mintkit-studio")
    draft.unpublish()

    response = client.get("/sitemap.xml")
    xml = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    for path in ("/", "/pricing/", "/help/", "/help/getting-started/"):
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert "<loc>http://testserver/storefront/willow/</loc>" in xml
    assert "hidden-gym" not in xml
    assert "using-mintkit-studio" not in xml


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_points_to_the_sitemap(client):
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
