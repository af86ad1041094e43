"""``/search/?q=``: live public pages and published storefronts, together."""

import re

from wagtail.models import PageViewRestriction

import pytest

from home import seed
from home.models import HelpIndexPage, HelpPage, StandardPage
from storefronts.models import Storefront
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def result_titles(html):
    return [
        re.sub(r"<[^>]+>", "", t)
        for t in re.findall(r'<h2 class="h5 mb-1"><a href="[^"]*">(.*?)</a></h2>', html)
    ]


def storefront(name, slug, *, active=True, **fields):
    return Storefront.objects.create(
        profile=ProfileFactory(), name=name, slug=slug, is_active=active, **fields
    )


@pytest.fixture
def help_index(site_home):
    return HelpIndexPage.objects.get()


def add_article(parent, title, slug, text, *, publish=True):
    page = parent.add_child(
        instance=HelpPage(
            title=title,
            slug=slug,
            summary=text,
            body=[{"type": "text", "value": f"<p>{text}</p>"}],
            live=publish,
        )
    )
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page


def test_finds_pages_and_storefronts_together(client, help_index):
    add_article(
        help_index, "Selling gift vouchers", "vouchers", "Sell gift vouchers to your regulars."
    )
    storefront("Willow Gift Shop", "willow-gifts", headline="Gift vouchers and candles")

    html = client.get("/search/", {"q": "vouchers"}).content.decode()
    titles = result_titles(html)
    assert "Selling gift vouchers" in titles
    assert "Willow Gift Shop" in titles
    assert 'href="/help/vouchers/"' in html and 'href="/storefront/willow-gifts/"' in html
    assert ">Storefront</span>" in html and ">Help</span>" in html


def test_drafts_private_pages_and_unpublished_storefronts_never_appear(client, help_index):
    add_article(help_index, "Zebra launch plan", "zebra-draft", "Zebra secrets.", publish=False)
    private = add_article(help_index, "Zebra staff notes", "zebra-private", "Zebra internal.")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="s3cret")
    live = add_article(help_index, "Zebra crossing", "zebra-live", "Zebra for everyone.")
    live.title = "Zebra DRAFT retitle"
    live.save_revision()  # unpublished change: search keeps the live title
    storefront("Zebra Gym", "zebra-gym", active=False)
    storefront("Zebra Yoga", "zebra-yoga")

    titles = result_titles(client.get("/search/", {"q": "zebra"}).content.decode())
    assert sorted(titles) == ["Zebra Yoga", "Zebra crossing"]


def test_results_highlight_the_query_safely(client, help_index):
    storefront("<b>Bold</b> Barbers", "bold-barbers", headline="Beard trims & fades")
    html = client.get("/search/", {"q": "barbers"}).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; <mark>Barbers</mark>" in html
    assert "<b>Bold</b>" not in html
    html = client.get("/search/", {"q": "trims"}).content.decode()
    assert "Beard <mark>trims</mark> &amp; fades" in html


def test_results_are_paginated(client, help_index):
    for n in range(13):
        add_article(help_index, f"Quokka guide {n}", f"quokka-{n}", "All about quokkas.")
    first = client.get("/search/", {"q": "quokka"}).content.decode()
    assert len(result_titles(first)) == 10
    assert "13 results for “quokka”" in first and "page 1 of 2" in first
    assert 'href="?q=quokka&amp;page=2"' in first
    second = client.get("/search/", {"q": "quokka", "page": 2}).content.decode()
    assert len(result_titles(second)) == 3
    assert set(result_titles(first)).isdisjoint(result_titles(second))
    # A page number past the end shows the last page rather than an error.
    assert client.get("/search/", {"q": "quokka", "page": 99}).status_code == 200


def test_no_match_shows_a_clear_empty_state(client, site_home):
    html = client.get("/search/", {"q": "xylophone"}).content.decode()
    assert 'data-testid="search-empty"' in html
    assert "No results for “xylophone”" in html
    assert 'href="/help/"' in html


def test_no_query_invites_a_search(client, site_home):
    response = client.get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="search-no-query"' in html
    assert "result" not in html.split('data-testid="search-no-query"')[1].split("</div>")[0]


def test_seeded_help_centre_answers_common_questions(client, db):
    class Quiet:
        def write(self, *a, **k):
            pass

    seed.run(stdout=Quiet())
    titles = result_titles(client.get("/search/", {"q": "password"}).content.decode())
    assert "Your account and privacy" in titles
    assert StandardPage.objects.filter(slug="privacy").exists()


def test_search_page_needs_few_queries(client, help_index, django_assert_max_num_queries):
    for n in range(5):
        add_article(help_index, f"Kiwi {n}", f"kiwi-{n}", "Kiwi text.")
        storefront(f"Kiwi Shop {n}", f"kiwi-shop-{n}")
    client.get("/search/", {"q": "kiwi"})
    with django_assert_max_num_queries(12):
        html = client.get("/search/", {"q": "kiwi"}).content.decode()
    assert len(result_titles(html)) == 10
