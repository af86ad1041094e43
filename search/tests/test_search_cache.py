"""Anonymous searches come from the page cache until anything they show changes."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from storefronts.models import Offer, Storefront
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def titles(response):
    return [
        re.sub(r"<[^>]+>", "", t)
        for t in re.findall(r'<h2 class="h5 mb-1"><a href="[^"]*">(.*?)</a></h2>', response.text)
    ]


def fetch(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/search/", params)
    assert response.status_code == 200
    return response, len(captured)


@pytest.fixture
def willow(site_home, client):
    client.get("/search/")  # the first page ever served creates the site's settings row
    return Storefront.objects.create(
        profile=ProfileFactory(), name="Willow Gift Shop", slug="willow", is_active=True
    )


def test_a_repeated_search_is_answered_from_the_cache_with_validators(client, willow):
    first, cold = fetch(client, q="willow")
    second, warm = fetch(client, q="willow")
    assert titles(first) == titles(second)
    assert "Willow Gift Shop" in titles(first)
    assert warm == 0 < cold  # no search, no session: straight from the cache
    assert "public" in second["Cache-Control"]
    assert (
        client.get("/search/", {"q": "willow"}, HTTP_IF_NONE_MATCH=second["ETag"]).status_code
        == 304
    )


def test_each_query_and_page_is_its_own_entry(client, willow):
    assert "Willow Gift Shop" in titles(fetch(client, q="willow")[0])
    assert "Willow Gift Shop" not in titles(fetch(client, q="nothing-like-it")[0])
    # Joined as text, "q=willow&page=2|" and "q=willow|2" would share a key: the first would
    # answer the second with a page that echoes the wrong query.
    fetch(client, q="willow", page="2|")
    answer, _ = fetch(client, q="willow|2")
    assert 'value="willow|2"' in answer.text


@pytest.mark.parametrize(
    "change",
    ["rename", "unpublish", "delete", "offer"],
)
def test_a_storefront_change_shows_in_the_next_search_at_once(client, willow, change):
    assert "Willow Gift Shop" in titles(fetch(client, q="willow")[0])
    assert "Willow Gift Shop" not in titles(fetch(client, q="candles")[0])
    if change == "rename":
        willow.name = "Willow & Candle"
        willow.save()
        assert "Willow &amp; Candle" in titles(fetch(client, q="willow")[0])
    elif change == "unpublish":
        willow.is_active = False
        willow.save()
        assert "Willow Gift Shop" not in titles(fetch(client, q="willow")[0])
    elif change == "delete":
        willow.delete()
        assert "Willow Gift Shop" not in titles(fetch(client, q="willow")[0])
    else:
        Offer.objects.create(
            storefront=willow,
            title="Scented candles",
            url="https://example.com/candles",
            is_active=True,
        )
        assert "Willow Gift Shop" in titles(fetch(client, q="candles")[0])


def test_signed_in_visitors_and_other_parameters_are_never_cached(client, willow):
    client.force_login(UserFactory())
    response, _ = fetch(client, q="willow")
    assert "private" in response["Cache-Control"]
    client.logout()
    response, _ = fetch(client, q="willow", sort="x")  # a parameter the page doesn't know
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize(
    "q", ['"', "' OR 1=1 --", "&|!():*<>", "x" * 500, "\x00\x01", "%" * 200, "🙂 & 🍰"]
)
def test_hostile_queries_are_cached_safely_and_never_fail(client, willow, q):
    first, _ = fetch(client, q=q)
    second, warm = fetch(client, q=q)
    assert warm == 0
    assert first.text.count("<script") == second.text.count("<script")
