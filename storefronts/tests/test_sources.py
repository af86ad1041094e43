"""Where storefront visits come from (storefronts/sources.py): classification, counting
through the page cache, the QR code's ?src=qr, and the stats page's sources and conversion."""

import io
import re

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import qrcode
import qrcode.image.svg

from storefronts.models import StorefrontDailyStat
from storefronts.poster import qr_svg_markup
from storefronts.sources import VisitSource, referrer_source, visit_source
from storefronts.tests.factories import BROWSER_UA, OfferFactory, StorefrontFactory
from tests.factories import ProfileFactory

S, Q, D, X = VisitSource.SOCIAL, VisitSource.SEARCH, VisitSource.DIRECT, VisitSource.OTHER


@pytest.mark.parametrize(
    ("referrer", "source"),
    [
        (None, D),
        ("", D),
        ("   ", D),
        ("https://www.facebook.com/", S),
        ("https://m.facebook.com/story.php?id=1", S),
        ("https://l.instagram.com/?u=https%3A%2F%2Fhub", S),
        ("https://t.co/AbC123", S),
        ("https://x.com/mintandco", S),
        ("https://twitter.com/", S),
        ("https://www.tiktok.com/@mint", S),
        ("https://www.linkedin.com/feed/", S),
        ("https://lnkd.in/abc", S),
        ("https://uk.pinterest.com/pin/1/", S),
        ("https://www.google.com/", Q),
        ("https://www.google.co.uk/", Q),
        ("https://google.com.au/search?q=x", Q),
        ("https://www.google.de/", Q),
        ("https://www.bing.com/search?q=salon", Q),
        ("https://duckduckgo.com/", Q),
        ("https://uk.search.yahoo.com/", Q),
        ("https://www.ecosia.org/search?q=x", Q),
        ("HTTPS://WWW.GOOGLE.CO.UK/", Q),
        ("https://www.google.co.uk./", Q),  # a trailing dot is the same host
        # Look-alikes are not the real thing.
        ("https://google.evil.example/", X),
        ("https://notfacebook.com/", X),
        ("https://facebook.com.evil.example/", X),
        ("https://www.example.co.uk/blog", X),
        ("http://localhost:8000/search/?q=salon", X),
        # Hostile or broken referrers: never an error, never a real source.
        ("not a url", X),
        ("javascript:alert(1)", X),
        ("data:text/html,<script>", X),
        ("ftp://www.google.com/", X),
        ("android-app://com.google.android.gm/", X),
        ("https://[::1", X),
        ("https://", X),
        ("//www.google.com/", X),
        ("https://www.google.com/" + "a" * 5000, X),
        ("https://\x00\x01facebook.com/", X),
        ("https://user:pass@www.facebook.com:443/", S),
        ("https://xn--fcebook-8va.com/", X),
        ("\u202ehttps://www.facebook.com/", X),
    ],
)
def test_referrer_source(referrer, source):
    assert referrer_source(referrer) == source


@pytest.mark.parametrize(
    ("query", "referrer", "source"),
    [
        ("src=qr", None, VisitSource.QR),
        ("src=QR", "https://www.facebook.com/", VisitSource.QR),  # the code wins
        ("utm_source=qr", None, VisitSource.QR),
        ("src=poster", None, VisitSource.DIRECT),
        ("src=" + "q" * 10_000, None, VisitSource.DIRECT),
        ("src=%ff%fe", "https://www.bing.com/", VisitSource.SEARCH),
        ("", "https://www.bing.com/", VisitSource.SEARCH),
    ],
)
def test_visit_source(rf, query, referrer, source):
    headers = {"HTTP_REFERER": referrer} if referrer is not None else {}
    request = rf.get(f"/storefront/x/?{query}" if query else "/storefront/x/", **headers)
    assert visit_source(request) == source


def get(client, url, **extra):
    return client.get(url, HTTP_USER_AGENT=BROWSER_UA, **extra)


def sources_today(storefront) -> dict:
    row = StorefrontDailyStat.objects.get(storefront=storefront)
    return {s.value: getattr(row, f"{s.value}_views") for s in VisitSource} | {"all": row.views}


@pytest.mark.django_db
def test_each_visit_is_counted_under_its_source_cached_or_not(client):
    storefront = StorefrontFactory(slug="mint-co")
    url = storefront.get_absolute_url()
    get(client, url)  # direct, renders and fills the cache
    get(client, url + "?src=qr")  # from the cache
    get(client, url + "?src=qr&utm_campaign=poster")
    get(client, url, HTTP_REFERER="https://l.facebook.com/l.php?u=x")
    get(client, url, HTTP_REFERER="https://www.google.co.uk/")
    get(client, url, HTTP_REFERER="https://a-blog.example/best-salons")
    get(client, url, HTTP_REFERER="javascript:alert(1)")
    assert sources_today(storefront) == {
        "all": 7,
        "qr": 2,
        "direct": 1,
        "social": 1,
        "search": 1,
        "other": 2,
    }


@pytest.mark.django_db
def test_src_neither_splits_the_cache_nor_grows_it(client):
    storefront = StorefrontFactory()
    OfferFactory(storefront=storefront, title="Gift card")
    url = storefront.get_absolute_url()
    get(client, url + "?src=qr")  # the first visit fills the cache
    for query in ("", "?src=qr", "?src=anything-at-all", "?src=" + "z" * 500):
        with CaptureQueriesContext(connection) as queries:
            response = get(client, url + query)
        assert response.status_code == 200 and "Gift card" in response.text
        assert not [q for q in queries.captured_queries if "storefronts_offer" in q["sql"]], query
        assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_moved_storefront_keeps_src_qr_across_the_redirect(client):
    storefront = StorefrontFactory(slug="mint-co")
    response = get(client, "/storefront/MINT-CO/?src=qr")
    assert response.status_code == 301
    assert response["Location"] == "/storefront/mint-co/?src=qr"
    get(client, response["Location"])
    assert sources_today(storefront)["qr"] == 1


@pytest.mark.django_db
def test_nothing_about_the_visitor_is_kept(client):
    storefront = StorefrontFactory()
    response = get(
        client,
        storefront.get_absolute_url(),
        HTTP_REFERER="https://www.facebook.com/groups/secret-group?member=jane",
        REMOTE_ADDR="203.0.113.9",
    )
    assert not response.cookies
    row = StorefrontDailyStat.objects.get(storefront=storefront)
    stored = " ".join(str(getattr(row, f.attname)) for f in row._meta.concrete_fields)
    assert "facebook" not in stored and "203.0.113" not in stored and "jane" not in stored


def qr_svg(data: str) -> bytes:
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(data)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


@pytest.fixture
def owner_client(client):
    profile = ProfileFactory(business_name="Mint & Co")
    client.force_login(profile.user)
    client.profile = profile
    return client


@pytest.mark.django_db
def test_the_qr_code_and_the_poster_encode_src_qr(owner_client):
    StorefrontFactory(profile=owner_client.profile, slug="qr-shop")
    page = "http://testserver/storefront/qr-shop/"
    svg = owner_client.get("/dashboard/storefront/qr.svg").content
    assert svg == qr_svg(page + "?src=qr")
    assert svg != qr_svg(page)  # the comparison can tell the two apart
    poster = owner_client.get("/dashboard/storefront/poster/").content.decode()
    assert str(qr_svg_markup(page + "?src=qr")) in poster
    assert str(qr_svg_markup(page)) not in poster
    assert "testserver/storefront/qr-shop<" in poster  # the printed address stays plain


def source_row(html: str, source: str) -> tuple[str, ...]:
    row = re.search(rf'<tr data-source="{source}">(.*?)</tr>', html).group(1)
    return tuple(re.findall(r"<td[^>]*>([^<]*)</td>", row))


@pytest.mark.django_db
def test_stats_page_shows_sources_with_their_share_and_the_conversion_rate(owner_client):
    storefront = StorefrontFactory(profile=owner_client.profile)
    offer = OfferFactory(storefront=storefront, title="Gift card")
    today = timezone.localdate()
    StorefrontDailyStat.objects.create(
        storefront=storefront, date=today, views=40, qr_views=10, direct_views=20, search_views=10
    )
    offer.daily_stats.create(date=today, clicks=5)
    html = owner_client.get("/dashboard/storefront/stats/").content.decode()
    assert "Where visitors come from" in html
    assert source_row(html, "qr") == ("QR code", "10", "25.0%")
    assert source_row(html, "direct") == ("Direct link", "20", "50.0%")
    assert source_row(html, "social") == ("Social media", "0", "0.0%")
    assert 'data-testid="conversion">12.5%<' in html  # 5 clicks ÷ 40 views


@pytest.mark.django_db
def test_with_no_views_conversion_and_shares_are_a_dash(owner_client):
    StorefrontFactory(profile=owner_client.profile)
    html = owner_client.get("/dashboard/storefront/stats/").content.decode()
    assert 'data-testid="conversion">—<' in html
    assert source_row(html, "qr") == ("QR code", "0", "—")
    cache.clear()
    assert Client().get("/dashboard/storefront/stats/").status_code == 302
