"""What a page render reuses between requests (core/sitecache.py): the Site, the site
settings, whether any page is private, and fragments (footer, page body) — each kept only
while the site generation stands, so an edit shows at once to someone the page cache never
serves (a logged-in visitor, a link with a query string)."""

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction, Site

import pytest

from core import sitecache
from home.models import HomePage, PricingPage, SiteSettings, StandardPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, seeded_site):
    client.force_login(UserFactory())
    return client


def tables_read(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return " ".join(q["sql"] for q in queries.captured_queries)


def test_a_second_render_reads_neither_the_site_nor_its_settings_nor_privacy(logged_in):
    first = tables_read(logged_in, "/")
    assert '"wagtailcore_site"' in first and '"home_sitesettings"' in first
    second = tables_read(logged_in, "/")
    assert '"wagtailcore_site"' not in second
    assert '"home_sitesettings"' not in second
    assert '"wagtailcore_pageviewrestriction"' not in second


def test_a_settings_change_shows_at_once_on_the_next_render(logged_in):
    assert "Made in Leeds" not in logged_in.get("/").content.decode()
    settings = SiteSettings.objects.get()
    settings.footer_text = "Made in Leeds"
    settings.save()
    assert "Made in Leeds" in logged_in.get("/").content.decode()


def test_a_published_body_edit_shows_at_once_on_the_next_render(logged_in):
    html = logged_in.get("/").content.decode()
    assert "Your storefront and sales tools" in html
    home = HomePage.objects.get()
    home.body[0].value["heading"] = "Open for bookings this spring"
    home.save_revision().publish()
    html = logged_in.get("/").content.decode()
    assert "Open for bookings this spring" in html
    assert "Your storefront and sales tools" not in html


def test_a_new_site_root_shows_at_once(logged_in):
    assert logged_in.get("/").context["page"].specific_class is HomePage
    site = Site.objects.get(is_default_site=True)
    site.root_page = PricingPage.objects.get()
    site.save()
    assert logged_in.get("/").context["page"].specific_class is PricingPage


def test_every_request_gets_its_own_site_instance(seeded_site):
    factory = RequestFactory()
    first = sitecache.site_for_request(factory.get("/"))
    second = sitecache.site_for_request(factory.get("/"))
    assert first.pk == second.pk == seeded_site.pk
    assert first is not second
    first.site_name = "changed by one request"
    assert second.site_name != "changed by one request"


def test_a_page_made_private_asks_for_a_log_in_at_once(client, seeded_site):
    about = StandardPage.objects.get(slug="about")
    assert client.get("/about/?ref=mail").status_code == 200  # not from the page cache
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/about/?ref=mail")
    assert response.status_code == 302
    assert response["Location"].startswith("/_util/login/")  # Wagtail's private-page log-in


def test_with_no_private_page_the_privacy_check_reads_nothing(
    seeded_site, django_assert_num_queries
):
    about = StandardPage.objects.get(slug="about")
    assert not about.get_view_restrictions().exists()
    with django_assert_num_queries(0):
        assert not about.get_view_restrictions().exists()


def _request():
    return RequestFactory().get("/")


def test_a_fragment_is_rendered_once_per_generation(seeded_site):
    renders = []

    def render():
        renders.append(1)
        return "<footer>same for everyone</footer>"

    for _ in range(3):
        assert sitecache.fragment(_request(), "footer", ["2026"], render) == (
            "<footer>same for everyone</footer>"
        )
    assert len(renders) == 1
    SiteSettings.objects.get().save()  # replaces the site generation
    sitecache.fragment(_request(), "footer", ["2026"], render)
    assert len(renders) == 2


@pytest.mark.parametrize(
    "per_visitor",
    [
        lambda request: f'<script nonce="{request.csp_nonce}"></script>',
        lambda request: '<input type="hidden" name="csrfmiddlewaretoken" value="abc">',
    ],
    ids=["csp-nonce", "csrf-token"],
)
def test_a_fragment_holding_a_visitors_nonce_or_csrf_token_is_never_shared(
    seeded_site, per_visitor
):
    from mintkit.csp import SiteCSPMiddleware

    request = _request()
    SiteCSPMiddleware(lambda r: None).process_request(request)
    html = sitecache.fragment(request, "form", [], lambda: per_visitor(request))
    assert "nonce=" in html or "csrfmiddlewaretoken" in html
    # Not stored: the next visitor's render is its own.
    assert sitecache.fragment(_request(), "form", [], lambda: "fresh") == "fresh"


def test_a_preview_is_never_cached(seeded_site):
    request = _request()
    request.is_preview = True
    sitecache.fragment(request, "page-body", ["1"], lambda: "draft")
    assert sitecache.fragment(_request(), "page-body", ["1"], lambda: "live") == "live"


def test_with_the_cache_down_a_fragment_still_renders(seeded_site, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    assert sitecache.fragment(_request(), "footer", [], lambda: "<footer></footer>") == (
        "<footer></footer>"
    )


def test_a_new_image_file_shows_at_once_in_a_cached_body(logged_in):
    """Replacing an image's file (what Wagtail's image form does) retires its renditions:
    a stored body still naming the old one would show a broken image."""
    import re

    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    def hero_src(html):
        return re.search(r'<img[^>]*src="([^"]+)"', html).group(1)

    image = Image.objects.create(title="Hero", file=get_test_image_file())
    home = HomePage.objects.get()
    home.body[0].value["image"] = image
    home.save_revision().publish()
    before = hero_src(logged_in.get("/").content.decode())
    original = image.file
    image.file = get_test_image_file(filename="new.png", colour="red")
    image.save()
    original.storage.delete(original.name)
    image.renditions.all().delete()
    after = hero_src(logged_in.get("/").content.decode())
    assert after != before
