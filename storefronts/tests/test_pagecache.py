"""The public storefront page through the whole-page cache (core/pagecache.py)."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from storefronts.models import StorefrontDailyStat
from storefronts.tests.editor_data import EDIT, editor_data
from storefronts.tests.factories import (
    BROWSER_UA,
    OfferFactory,
    OpeningHoursFactory,
    StorefrontFactory,
)
from storefronts.tests.test_contact_source import an_image
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def get(client, url, **kwargs):
    return client.get(url, HTTP_USER_AGENT=BROWSER_UA, **kwargs)


def offer_queries(callable_):
    with CaptureQueriesContext(connection) as queries:
        response = callable_()
    return response, [q for q in queries.captured_queries if "storefronts_offer" in q["sql"]]


def body_nonces(html: str) -> set[str]:
    return set(re.findall(r'nonce="([^"]+)"', html))


def header_nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_second_anonymous_visit_is_served_from_the_cache_and_still_counted(client):
    storefront = StorefrontFactory()
    OfferFactory(storefront=storefront, title="Gift card")
    url = storefront.get_absolute_url()
    first, cold = offer_queries(lambda: get(client, url))
    second, warm = offer_queries(lambda: get(client, url))
    assert cold and not warm  # the offers were not read again
    assert "Gift card" in second.text
    get(client, url + "?utm_source=qr")  # a tracking tag shares the cached page
    row = StorefrontDailyStat.objects.get(storefront=storefront)
    assert row.views == 3 and row.date == dt.date.today()


def test_a_cached_visit_reads_nothing_from_the_database_and_writes_its_count(client):
    storefront = StorefrontFactory()
    OfferFactory(storefront=storefront, title="Gift card")
    url = storefront.get_absolute_url()
    get(client, url)  # rendered and stored, with the slug's head (storefronts/heads.py)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, url)
    assert response.status_code == 200 and "Gift card" in response.text
    sql = [q["sql"] for q in queries.captured_queries]
    # Today's counter, nothing else: the head and the page come from the cache.
    assert len(sql) == 1, sql
    assert sql[0].startswith("UPDATE")


def test_public_headers_etag_and_304(client):
    storefront = StorefrontFactory()
    url = storefront.get_absolute_url()
    for response in (get(client, url), get(client, url)):  # a miss, then a hit
        assert response.status_code == 200
        control = set(response["Cache-Control"].split(", "))
        assert control == {"public", "max-age=0", "s-maxage=300"}
        assert "Cookie" in response["Vary"]
        assert response["ETag"]
    again = get(client, url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert not again.content
    # The browser keeps the CSP header stored with its body: a 304 must not replace it.
    assert "Content-Security-Policy" not in again
    assert get(client, url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert StorefrontDailyStat.objects.get(storefront=storefront).views == 4


def test_every_response_gets_its_own_nonce_matching_its_header(client):
    storefront = StorefrontFactory()
    url = storefront.get_absolute_url()
    seen = set()
    for _ in range(3):
        response = get(client, url)
        nonces = body_nonces(response.text)
        assert nonces == {header_nonce(response)}  # the brand-colour <style> and the scripts
        seen |= nonces
    assert len(seen) == 3


def test_opening_status_is_worked_out_per_response_even_from_the_cache(client, monkeypatch):
    storefront = StorefrontFactory(time_zone="Europe/London")
    OpeningHoursFactory(storefront=storefront, weekday=0, opens=dt.time(9), closes=dt.time(17))
    url = storefront.get_absolute_url()
    monday = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: monday.replace(hour=10))
    assert "Open now — closes 17:00" in get(client, url).text
    monkeypatch.setattr(timezone, "now", lambda: monday.replace(hour=18))
    response, offers = offer_queries(lambda: get(client, url))
    assert not offers  # from the cache …
    assert "Open now" not in response.text and "Closed — opens" in response.text  # … yet fresh


def test_owner_save_publish_unpublish_and_slug_change_show_at_once(client):
    owner = client.__class__()
    profile = ProfileFactory()
    owner.force_login(profile.user)
    storefront = StorefrontFactory(profile=profile, slug="mint-co", headline="Old headline")
    url = "/storefront/mint-co/"
    assert "Old headline" in get(client, url).text
    assert "Old headline" in get(client, url).text  # cached now

    owner.post(EDIT, editor_data(slug="mint-co", headline="New headline"))
    assert "New headline" in get(client, url).text

    owner.post(EDIT + "publish/", {"action": "unpublish"})
    assert get(client, url).status_code == 404
    owner.post(EDIT + "publish/", {"action": "publish"})
    assert "New headline" in get(client, url).text

    owner.post(EDIT, editor_data(slug="mint-and-co", headline="New headline"))
    moved = get(client, url)
    assert moved.status_code == 301 and moved["Location"] == "/storefront/mint-and-co/"
    assert "New headline" in get(client, "/storefront/mint-and-co/").text
    storefront.refresh_from_db()
    assert storefront.slug == "mint-and-co"


def test_the_logged_in_owner_never_gets_nor_fills_the_cached_page(client):
    storefront = StorefrontFactory()
    url = storefront.get_absolute_url()
    owner = client.__class__()
    owner.force_login(storefront.profile.user)

    mine = get(owner, url)  # the owner first: must not fill the cache
    assert 'data-testid="owner-bar"' in mine.text
    assert f"/dashboard/storefronts/{storefront.slug}/" in mine.text
    assert set(mine["Cache-Control"].split(", ")) == {"private", "no-store"}
    anonymous, offers = offer_queries(lambda: get(client, url))
    assert 'data-testid="owner-bar"' not in anonymous.text
    assert "/dashboard/" not in anonymous.text
    assert "csrfmiddlewaretoken" not in anonymous.text

    hit = get(client, url)  # now cached for visitors
    assert 'data-testid="owner-bar"' not in hit.text and "public" in hit["Cache-Control"]
    mine = get(owner, url)
    assert 'data-testid="owner-bar"' in mine.text  # … but not for the owner
    assert "private" in mine["Cache-Control"]
    assert StorefrontDailyStat.objects.get(storefront=storefront).views == 2


def test_other_query_strings_bypass_the_cache(client):
    storefront = StorefrontFactory()
    url = storefront.get_absolute_url()
    get(client, url)
    for n in range(2):
        response, offers = offer_queries(lambda n=n: get(client, f"{url}?x={n}"))
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]


def test_a_profile_save_shows_at_once_on_the_storefronts_that_inherit_from_it(client):
    profile = ProfileFactory(contact_email="hi@profile.example", phone="+442079460958")
    inheriting = StorefrontFactory(profile=profile, contact_email="", phone="")
    owner = client.__class__()
    owner.force_login(profile.user)
    url = inheriting.get_absolute_url()
    first = get(client, url)
    assert 'href="tel:+442079460958"' in first.text
    assert 'href="tel:+442079460958"' in get(client, url).text  # served from the cache

    saved = owner.post(
        "/dashboard/profile/",
        {
            "business_name": profile.business_name,
            "contact_email": "new@profile.example",
            "phone": "020 7946 0123",
        },
    )
    assert saved.status_code == 302

    page = get(client, url)  # anonymous, straight after the save
    assert 'href="tel:+442079460123"' in page.text and "+442079460958" not in page.text
    assert 'href="mailto:new@profile.example"' in page.text
    assert page["ETag"] != first["ETag"]
    card = get(client, f"{url}contact.vcf").content.decode()
    assert "TEL;TYPE=WORK,VOICE:+442079460123" in card
    assert "EMAIL;TYPE=INTERNET,WORK:new@profile.example" in card


def test_a_profile_save_leaves_storefronts_with_all_their_own_details_alone():
    profile = ProfileFactory(contact_email="hi@profile.example", phone="+442079460958")
    own = StorefrontFactory(
        profile=profile, contact_email="shop@own.example", phone="+447700900123", logo=an_image()
    )
    before = own.updated_at
    profile.phone = "+442079460123"
    profile.save()  # any save: the profile page, the site admin
    own.refresh_from_db()
    assert own.updated_at == before  # shows none of the profile's details: page unchanged
    own.phone = ""  # now it shows the profile's phone
    own.save()
    before = own.updated_at
    profile.save()
    own.refresh_from_db()
    assert own.updated_at > before


def test_a_new_release_renders_the_storefront_and_its_parts_afresh(client, settings):
    storefront = StorefrontFactory()
    OfferFactory(storefront=storefront, title="Gift card")
    url = storefront.get_absolute_url()
    get(client, url)  # page and parts stored by this release
    settings.PAGE_CACHE_RELEASE = "the-next-deploy"
    response, offers = offer_queries(lambda: get(client, url))
    assert offers and "Gift card" in response.text  # rendered again from the database
    _again, offers = offer_queries(lambda: get(client, url))
    assert not offers


def test_a_hub_edit_leaves_every_cached_storefront_page_standing(client, monkeypatch):
    """The brand-first page shows no hub menu, footer or settings: a Wagtail publish or a
    settings save (which make every hub page stale) must not turn 100,000 storefront pages
    cold at once."""
    from wagtail.models import Site

    from home.models import SiteSettings
    from storefronts import public_views

    renders = []
    render = public_views._render_public
    monkeypatch.setattr(
        public_views, "_render_public", lambda *args: renders.append(1) or render(*args)
    )
    storefront = StorefrontFactory()
    OfferFactory(storefront=storefront, title="Gift card")
    url = storefront.get_absolute_url()
    assert "Gift card" in get(client, url).text
    SiteSettings.for_site(Site.objects.get(is_default_site=True)).save()
    assert "Gift card" in get(client, url).text
    assert len(renders) == 1  # the second visit was the cached page


def test_the_early_lookup_prefix_is_the_public_pages_url():
    from django.urls import reverse

    from storefronts.apps import PUBLIC_PREFIX

    assert reverse("storefronts:public", args=["mint-co"]) == PUBLIC_PREFIX + "mint-co/"


def test_a_cached_storefront_page_is_answered_before_url_resolution(client, monkeypatch):
    from django.core.handlers.base import BaseHandler

    resolved = []
    resolve = BaseHandler.resolve_request
    monkeypatch.setattr(
        BaseHandler, "resolve_request", lambda self, r: resolved.append(r.path) or resolve(self, r)
    )
    storefront = StorefrontFactory()
    OfferFactory(storefront=storefront, title="Gift card")
    url = storefront.get_absolute_url()
    assert "Gift card" in get(client, url).text  # a miss: routed, rendered, stored
    assert "Gift card" in get(client, url).text  # a hit, before routing
    assert resolved == [url]
    row = StorefrontDailyStat.objects.get(storefront=storefront)
    assert row.views == 2  # both visits counted, once each


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/storefront/", 404),
        ("/storefront//", 404),
        ("/storefront/a/b/", 404),
        ("/storefront/a%20b/", 404),
        ("/storefront/a", 301),  # CommonMiddleware's APPEND_SLASH, as for any URL
    ],
)
def test_paths_under_the_prefix_that_are_no_storefront_page_are_routed_as_ever(
    client, path, status
):
    assert get(client, path).status_code == status
