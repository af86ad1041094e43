"""Owners' links (offers, call to action, website and social links) are http(s) only: in the
model, in the editor, on the public page and at ``/storefront/<slug>/go/<id>/``; and the go/
address is useless for phishing (published storefronts only, a "you are leaving" page for any
site that is not MintKit Studio).
"""

import re

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from storefronts.links import (
    TypedWebURLFormField,
    display_host,
    is_mintkit_url,
    is_web_url,
    normalise_web_url,
)
from storefronts.models import Offer, OfferDailyStat, Storefront
from storefronts.tests.editor_data import EDIT, editor_data
from storefronts.tests.factories import BROWSER_UA, OfferFactory, StorefrontFactory
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Enter a web address that starts with https:// (or http://)."

HOSTILE_URLS = [
    "ftp://files.example.com/menu.pdf",
    "FTP://files.example.com/menu.pdf",
    "ftps://files.example.com/menu.pdf",
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "javascript://example.com/%0aalert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "mailto:someone@example.com",
    "tel:+442079460958",
    "sftp://example.com/",
    "gopher://example.com/",
    "ws://example.com/socket",
    "https://evil.example\\@studio.mintkit.co.uk/p/1",
    "https://studio.mintkit.co.uk@evil.example/p/1",
    "https://user:password@example.com/",
    "https://example.com/\x00",
    "https://exa mple.com/",
    "http://",
    "https:///path-only",
]
FIELDS = ["website_url", "instagram_url", "facebook_url", "tiktok_url", "cta_url"]


def go(storefront, offer):
    return reverse("storefronts:offer_go", args=[storefront.slug, offer.pk])


def clicks():
    return sum(OfferDailyStat.objects.values_list("clicks", flat=True))


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_rule_refuses_every_other_scheme_and_trick(url):
    assert not is_web_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com",
        "http://example.com/a?b=c#d",
        "HTTPS://EXAMPLE.COM/",
        "https://münchen.example/",
    ],
)
def test_the_rule_takes_plain_web_addresses(url):
    assert is_web_url(url)


@pytest.mark.parametrize(
    "value", [None, 42, b"https://example.com", "", "https://e.com/" + "a" * 300]
)
def test_the_rule_refuses_wrong_types_and_overlong_values(value):
    assert not is_web_url(value)


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_model_refuses_them_on_every_storefront_link(url):
    profile = ProfileFactory()
    for field in FIELDS:
        storefront = StorefrontFactory.build(profile=profile, **{field: url})
        with pytest.raises(ValidationError) as caught:
            storefront.full_clean()
        assert field in caught.value.message_dict, field


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_model_refuses_them_on_an_offer(url):
    offer = OfferFactory.build(storefront=StorefrontFactory(), url=url)
    with pytest.raises(ValidationError) as caught:
        offer.full_clean()
    assert "url" in caught.value.message_dict


# --- the editor ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", HOSTILE_URLS[:14])
def test_the_editor_refuses_them_beside_each_field_and_saves_nothing(owner_client, url):
    data = editor_data(
        cta_label="Book now",
        **{field: url for field in FIELDS},
        **{"offers-0-url": url},
    )
    response = owner_client.post(EDIT, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(MESSAGE) == len(FIELDS) + 1
    assert not Storefront.objects.exists()
    assert not Offer.objects.exists()


def test_the_editor_still_takes_an_address_typed_without_https(owner_client):
    response = owner_client.post(
        EDIT,
        editor_data(website_url="www.mint.example", **{"offers-0-url": "studio.mintkit.co.uk/p/1"}),
    )
    assert response.status_code == 302
    storefront = Storefront.objects.get()
    assert storefront.website_url == "https://www.mint.example"
    assert storefront.offers.get().url == "https://studio.mintkit.co.uk/p/1"


def test_a_bad_link_saved_before_the_rule_must_be_fixed_on_the_next_save(owner_client):
    storefront = StorefrontFactory(profile=owner_client.profile)
    Storefront.objects.filter(pk=storefront.pk).update(website_url="ftp://old.example/")
    form = owner_client.get(EDIT).context["editor"].form
    data = {**editor_data(slug=storefront.slug), "website_url": form.initial["website_url"]}
    response = owner_client.post(EDIT, data)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


# --- the public page -----------------------------------------------------------------------


def test_links_stored_before_the_rule_are_not_shown_on_the_page(client):
    storefront = StorefrontFactory(cta_label="Book now")
    Storefront.objects.filter(pk=storefront.pk).update(
        website_url="javascript:alert(1)",
        instagram_url="https://www.instagram.com/mint.example",
        facebook_url="data:text/html,hi",
        tiktok_url="ftp://files.example/",
        cta_url="javascript:alert(2)",
    )
    html = client.get(storefront.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA).content.decode()
    assert "https://www.instagram.com/mint.example" in html
    for bad in ("javascript:", "data:text", "ftp://"):
        assert bad not in html
    assert ">Book now<" not in html  # the main button has nowhere safe to go


# --- /storefront/<slug>/go/<id>/ -----------------------------------------------------------


# PostgreSQL cannot store a NUL character, so no such link can have been saved.
STORABLE_HOSTILE_URLS = [url for url in HOSTILE_URLS if "\x00" not in url]


@pytest.mark.parametrize("url", STORABLE_HOSTILE_URLS)
def test_go_never_follows_a_bad_link_stored_before_the_rule(client, url):
    offer = OfferFactory(storefront=StorefrontFactory())
    Offer.objects.filter(pk=offer.pk).update(url=url)
    response = client.get(go(offer.storefront, offer), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 404
    assert "Location" not in response
    assert clicks() == 0


def test_go_sends_visitors_straight_to_mintkit_studio_and_counts_the_click(client, settings):
    settings.MINTKIT_STUDIO_URL = "https://studio.mintkit.co.uk"
    offer = OfferFactory(url="https://studio.mintkit.co.uk/p/42", storefront=StorefrontFactory())
    response = client.get(go(offer.storefront, offer), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert response["Location"] == "https://studio.mintkit.co.uk/p/42"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert clicks() == 1


@pytest.mark.parametrize(
    "url, host",
    [
        ("https://booking.example/mint", "booking.example"),
        ("http://studio.mintkit.co.uk.evil.example/p/1", "studio.mintkit.co.uk.evil.example"),
        ("https://evil.example/studio.mintkit.co.uk/p/1", "evil.example"),
        ("https://evil.example/?next=https://studio.mintkit.co.uk", "evil.example"),
        ("https://studio.mintkit.co.uk:8443/p/1", "studio.mintkit.co.uk"),
        ("https://mintkit.co.uk/p/1", "mintkit.co.uk"),
        ("https://stüdio.mintkit.co.uk/p/1", "xn--stdio-lva.mintkit.co.uk"),
    ],
)
def test_go_shows_a_leaving_page_naming_any_other_site(client, settings, url, host):
    settings.MINTKIT_STUDIO_URL = "https://studio.mintkit.co.uk"
    offer = OfferFactory(title="Gift card", url=url, storefront=StorefrontFactory(name="Mint & Co"))
    response = client.get(go(offer.storefront, offer), HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 200
    assert "Location" not in response
    html = response.content.decode()
    assert "You're leaving MintKit Hub" in html
    assert f'data-testid="leaving-host">{host}</p>' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert clicks() == 1  # the click on the offer card still counts


def test_the_studio_host_comes_from_the_setting(settings):
    settings.MINTKIT_STUDIO_URL = "https://studio.example.org"
    assert is_mintkit_url("https://studio.example.org/p/1")
    assert not is_mintkit_url("https://studio.mintkit.co.uk/p/1")
    assert display_host("https://ЅTUDIO.example/") == "xn--tudio-g2e.example"


def test_go_is_404_for_a_draft_for_everyone_but_its_owner(client):
    draft = StorefrontFactory(is_active=False)
    offer = OfferFactory(storefront=draft, url="https://studio.mintkit.co.uk/p/1")
    assert client.get(go(draft, offer), HTTP_USER_AGENT=BROWSER_UA).status_code == 404
    for user in (
        ProfileFactory().user,
        UserFactory(is_staff=True),
        UserFactory(is_staff=True, is_superuser=True),
    ):
        client.force_login(user)
        assert client.get(go(draft, offer), HTTP_USER_AGENT=BROWSER_UA).status_code == 404
    # The owner may try their own draft's links before publishing; not counted.
    client.force_login(draft.profile.user)
    assert client.get(go(draft, offer), HTTP_USER_AGENT=BROWSER_UA).status_code == 302
    assert clicks() == 0


def test_go_answers_404_not_500_for_ids_and_slugs_that_do_not_fit(client):
    storefront = StorefrontFactory()
    offer = OfferFactory(storefront=storefront)
    other = OfferFactory(storefront=StorefrontFactory())
    for path in (
        go(storefront, other),
        f"/storefront/{storefront.slug}/go/99999999999999999999999/",
        f"/storefront/{storefront.slug}/go/0/",
        f"/storefront/no-such-shop/go/{offer.pk}/",
        f"/storefront/{storefront.slug.upper()}/go/{offer.pk}/",
    ):
        assert client.get(path, HTTP_USER_AGENT=BROWSER_UA).status_code == 404, path
    assert clicks() == 0


# --- addresses as people type them -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "network", "stored"),
    [
        ("instagram.com/sunnyside", None, "https://instagram.com/sunnyside"),
        ("www.example.co.uk", None, "https://www.example.co.uk"),
        ("  www.example.co.uk/menu?x=1  ", None, "https://www.example.co.uk/menu?x=1"),
        ("example.com:8080/shop", None, "https://example.com:8080/shop"),
        ("http://example.com", None, "http://example.com"),
        ("@sunnyside", "instagram", "https://instagram.com/sunnyside"),
        ("sunnyside", "instagram", "https://instagram.com/sunnyside"),
        ("@sunny.side_1", "facebook", "https://facebook.com/sunny.side_1"),
        ("@sunnyside", "tiktok", "https://www.tiktok.com/@sunnyside"),
        ("instagram.com/sunnyside", "instagram", "https://instagram.com/sunnyside"),
    ],
)
def test_typed_addresses_and_handles_become_https_links(typed, network, stored):
    assert normalise_web_url(typed, network=network) == stored
    assert is_web_url(stored)


@pytest.mark.parametrize("network", [None, "instagram", "facebook", "tiktok"])
@pytest.mark.parametrize(
    "url",
    HOSTILE_URLS
    + [
        "@evil\\x",
        "@sunny side",
        "@<script>",
        "evil.example\\@studio.mintkit.co.uk",
        "user:pass@example.com",
        "studio.mintkit.co.uk@evil.example",
        "java\nscript:alert(1)",
        "x" * 250 + ".com",
    ],
)
def test_normalising_never_makes_a_hostile_input_acceptable(url, network):
    field = TypedWebURLFormField(network=network, required=False)
    with pytest.raises(ValidationError):
        field.clean(url)


def test_the_editor_stores_what_people_type_as_https_links(owner_client):
    data = editor_data(
        website_url="www.example.co.uk",
        instagram_url="@sunnyside",
        facebook_url="facebook.com/sunnyside",
        tiktok_url="sunnyside",
        cta_label="Book",
        cta_url="booking.example.com/sunny",
        **{"offers-0-url": "studio.mintkit.co.uk/p/gift"},
    )
    response = owner_client.post(EDIT, data)
    assert response.status_code == 302, response.text[:2000]
    storefront = Storefront.objects.get()
    assert (
        storefront.website_url,
        storefront.instagram_url,
        storefront.facebook_url,
        storefront.tiktok_url,
        storefront.cta_url,
        storefront.offers.get().url,
    ) == (
        "https://www.example.co.uk",
        "https://instagram.com/sunnyside",
        "https://facebook.com/sunnyside",
        "https://www.tiktok.com/@sunnyside",
        "https://booking.example.com/sunny",
        "https://studio.mintkit.co.uk/p/gift",
    )


def test_link_inputs_let_the_browser_send_what_people_type(owner_client):
    # type="url" makes the browser itself refuse "instagram.com/sunnyside" before sending.
    html = owner_client.get(EDIT).text
    for name in ("website_url", "instagram_url", "cta_url"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'type="text"' in tag and 'inputmode="url"' in tag
