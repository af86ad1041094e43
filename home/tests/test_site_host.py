"""CMS pages advertise the host the hub is configured for, never the "localhost" placeholder."""

import re

from django.core.management.sql import emit_post_migrate_signal

from wagtail.models import Site

import pytest

from home.seed import ensure_home_page
from home.site_host import configured_site_address, site_follow_configured_host

pytestmark = pytest.mark.django_db


def canonical_and_og_url(html: str) -> tuple[str, str]:
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)
    og_url = re.search(r'<meta property="og:url" content="([^"]+)">', html).group(1)
    return canonical, og_url


@pytest.mark.parametrize(
    ("base_url", "host", "root"),
    [
        ("https://hub.example.com", "hub.example.com", "https://hub.example.com"),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_canonical_og_url_and_sitemap_follow_the_configured_host(
    client, settings, seeded_site, base_url, host, root
):
    settings.WAGTAILADMIN_BASE_URL = base_url
    site_follow_configured_host()

    # Asked on the configured host or on another name for the same server, a CMS page names
    # the configured host as its canonical address.
    for request_host in (host, "alias.example.net"):
        html = client.get("/help/getting-started/", HTTP_HOST=request_host).content.decode()
        assert canonical_and_og_url(html) == (f"{root}/help/getting-started/",) * 2
    index = client.get("/sitemap.xml", HTTP_HOST=host).content.decode()
    assert f"<loc>{root}/sitemap-pages.xml</loc>" in index
    sitemap = client.get("/sitemap-pages.xml", HTTP_HOST=host).content.decode()
    assert f"<loc>{root}/pricing/</loc>" in sitemap
    assert "localhost" not in index + sitemap


def test_a_site_left_at_localhost_is_moved_to_the_configured_host_after_migrate(
    client, settings, seeded_site
):
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    settings.WAGTAILADMIN_BASE_URL = "https://hub.example.com"

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("hub.example.com", 443)
    html = client.get("/pricing/", HTTP_HOST="hub.example.com").content.decode()
    assert canonical_and_og_url(html) == ("https://hub.example.com/pricing/",) * 2


def test_seed_creates_the_site_on_the_configured_host(settings, db):
    settings.WAGTAILADMIN_BASE_URL = "https://mintkit.example.org"
    home = ensure_home_page()
    assert home.full_url == "https://mintkit.example.org/"


def test_without_a_base_url_the_first_concrete_allowed_host_is_used(settings):
    settings.WAGTAILADMIN_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["*", ".example.com", "hub.example.com"]
    assert configured_site_address() == ("hub.example.com", 80)
    settings.ALLOWED_HOSTS = ["*"]
    assert configured_site_address() is None


def test_a_host_owned_by_another_site_is_left_alone(settings, seeded_site):
    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="hub.example.com", port=443, root_page=default.root_page)
    settings.WAGTAILADMIN_BASE_URL = "https://hub.example.com"

    site_follow_configured_host()

    default.refresh_from_db()
    assert (default.hostname, default.port) == ("testserver", 80)
