"""The storefront as the business's page (issue 16): brand-first layout, contact buttons,
"Add to contacts", today's hours, JSON-LD for search engines, the counter poster."""

import datetime as dt
import json
import re

from django.test import Client

import pytest

from storefronts.jsonld import country_code, offer_price
from storefronts.models import Offer
from storefronts.selectors import storefront_local_date
from storefronts.tests.factories import (
    ALL_CONTACTS,
    OfferFactory,
    OpeningHoursFactory,
    SpecialDateFactory,
    StorefrontFactory,
    public_page,
)
from storefronts.vcard import storefront_vcard
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def unfold(card: str) -> list[str]:
    assert "\n" not in card.replace("\r\n", "")  # only CRLF line ends
    return card.replace("\r\n ", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def properties(card: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in unfold(card):
        name, _, value = line.partition(":")
        found.setdefault(name, []).append(value)
    return found


# ----- layout -------------------------------------------------------------------------


def test_the_page_is_the_businesss_own_with_no_hub_navigation_or_log_in(client, site_home):
    storefront = StorefrontFactory(name="Sunnyside Café")
    html = public_page(client, storefront).text
    assert '<h1 class="storefront-name mb-1">Sunnyside Café</h1>' in html
    assert "<title>Sunnyside Café</title>" in html
    for hub in ("/accounts/login/", "/accounts/signup/", "/pricing/", 'aria-label="Footer"'):
        assert hub not in html, hub
    assert re.search(r'<a href="/" class="storefront-made-with">Made with MintKit</a>', html)
    assert 'data-testid="owner-bar"' not in html


def test_the_owner_sees_an_edit_bar_that_is_never_cached_for_others(client, site_home):
    storefront = StorefrontFactory()
    client.force_login(storefront.profile.user)
    response = public_page(client, storefront)
    assert 'data-testid="owner-bar"' in response.text
    # Its own editor, whichever of the owner's storefronts this is.
    assert f'href="/dashboard/storefronts/{storefront.slug}/">Edit</a>' in response.text
    assert response["Cache-Control"] == "private, no-store"
    other = Client()
    other.force_login(ProfileFactory().user)
    assert 'data-testid="owner-bar"' not in public_page(other, storefront).text
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    assert 'data-testid="owner-bar"' not in public_page(staff, storefront).text


def test_contact_buttons_each_carry_a_name_and_lead_where_they_say(client, site_home):
    storefront = StorefrontFactory(**ALL_CONTACTS)
    html = public_page(client, storefront).text
    actions = html[html.index('data-testid="contact-actions"') :]
    actions = actions[: actions.index("</ul>")]
    names = [
        re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<a [^>]*>(.*?)</a>", actions, re.S)
    ]
    assert names == [
        "Call 020 7946 0958",
        "E-mail hello@sunny.example",
        "Directions to 1 High Road, Leyton, E10 5AA, United Kingdom (opens your maps app)",
        "Website",
        "Instagram",
        "Facebook",
        "TikTok",
        "Share",
        "Add to contacts",
    ]
    assert 'href="tel:+442079460958"' in actions
    assert 'href="mailto:hello@sunny.example"' in actions
    assert (
        'href="https://www.google.com/maps/dir/?api=1&amp;destination='
        '1%20High%20Road%2C%20Leyton%2C%20E10%205AA%2C%20United%20Kingdom"' in actions
    )
    assert f'href="http://testserver/storefront/{storefront.slug}/"' in actions  # share, no JS
    assert f'href="/storefront/{storefront.slug}/contact.vcf"' in actions


def test_only_the_contact_buttons_that_have_something_behind_them_show(client, site_home):
    html = public_page(client, StorefrontFactory()).text
    assert "tel:" not in html and "mailto:" not in html and "maps/dir" not in html
    assert ">Share</span>" in html and ">Add to contacts</span>" in html


def test_todays_row_is_highlighted_with_todays_special_hours_and_note(client, site_home):
    storefront = StorefrontFactory()
    today = storefront_local_date(storefront=storefront)
    for weekday in range(7):
        OpeningHoursFactory(storefront=storefront, weekday=weekday)
    html = public_page(client, storefront).text
    row = re.search(r'<tr class="storefront-today" aria-current="date"[^>]*>(.*?)</tr>', html, re.S)
    assert f"{today:%A}" in row.group(1) and "09:00–17:00" in row.group(1)
    assert html.count('aria-current="date"') == 1
    SpecialDateFactory(storefront=storefront, date=today, note="Staff training")
    storefront.save()  # a new version of the page
    html = public_page(client, storefront).text
    row = re.search(r'<tr class="storefront-today"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "Closed" in row and "Staff training" in row and "09:00" not in row
    status = re.search(r'data-testid="opening-status">(.*?)</p>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", status).strip() == (
        "Closed today — Staff training · opens tomorrow 09:00"
    )


# ----- vCard --------------------------------------------------------------------------


HOSTILE = 'Smith, Jones; & Co\\\r\nEND:VCARD\r\nBEGIN:VCARD\nFN:Evil\x07 "Ltd"'


def test_vcard_escapes_hostile_names_so_nothing_can_add_or_end_a_property():
    storefront = StorefrontFactory.build(
        name=HOSTILE,
        slug="evil",
        headline="Cuts; colour, and\nmore",
        street="Flat 2; 1 High Road, Rear",
        town="Leyton",
        postcode="E10 5AA",
        phone="+442079460958",
    )
    card = storefront_vcard(storefront=storefront, page_url="https://hub.example/storefront/evil/")
    lines = unfold(card)
    assert lines[0] == "BEGIN:VCARD" and lines[-1] == "END:VCARD"
    assert lines.count("BEGIN:VCARD") == 1 and lines.count("END:VCARD") == 1
    assert not any(line.startswith("FN:Evil") for line in lines)
    props = properties(card)
    assert props["VERSION"] == ["3.0"]
    expected_name = HOSTILE.replace("\x07", "").replace("\r\n", "\n")
    assert [unescape(v) for v in props["FN"]] == [expected_name]
    assert [unescape(v) for v in props["ORG"]] == [expected_name]
    assert props["FN"][0].startswith("Smith\\, Jones\\; & Co\\\\\\nEND")
    adr = re.split(r"(?<!\\);", props["ADR;TYPE=WORK"][0])
    assert [unescape(p) for p in adr] == [
        "",
        "",
        "Flat 2; 1 High Road, Rear",
        "Leyton",
        "",
        "E10 5AA",
        "United Kingdom",
    ]
    assert unescape(props["NOTE"][0]) == "Cuts; colour, and\nmore"
    assert props["TEL;TYPE=WORK,VOICE"] == ["+442079460958"]


def test_vcard_lines_are_folded_at_75_octets_without_splitting_characters():
    storefront = StorefrontFactory.build(name="Ünïcødé Café " * 10, slug="long")
    card = storefront_vcard(storefront=storefront, page_url="https://hub.example/storefront/long/")
    for raw in card.split("\r\n"):
        assert len(raw.encode()) <= 75
    assert unescape(properties(card)["FN"][0]) == "Ünïcødé Café " * 10


def test_vcard_download_for_a_live_storefront(client):
    storefront = StorefrontFactory(
        name="Mint; & Co", contact_email="hi@mint.example", instagram_url="https://instagram.com/m"
    )
    response = client.get(f"/storefront/{storefront.slug}/contact.vcf")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{storefront.slug}.vcf"'
    props = properties(response.content.decode())
    assert props["FN"] == ["Mint\\; & Co"]
    assert props["EMAIL;TYPE=INTERNET,WORK"] == ["hi@mint.example"]
    assert props["URL"] == [f"http://testserver/storefront/{storefront.slug}/"]
    assert props["X-SOCIALPROFILE;TYPE=instagram"] == ["https://instagram.com/m"]


def test_a_drafts_vcard_is_404_except_for_its_owner(client):
    draft = StorefrontFactory(is_active=False)
    url = f"/storefront/{draft.slug}/contact.vcf"
    assert client.get(url).status_code == 404
    client.force_login(ProfileFactory().user)
    assert client.get(url).status_code == 404
    client.force_login(draft.profile.user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert Client().get("/storefront/no-such-shop/contact.vcf").status_code == 404


# ----- JSON-LD ------------------------------------------------------------------------


def test_json_ld_has_logo_image_offers_with_prices_and_an_iso_country(client, site_home):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    logo = get_image_model().objects.create(title="logo", file=get_test_image_file())
    storefront = StorefrontFactory(
        logo=logo, street="1 High Road", town="Leyton", postcode="E10 5AA"
    )
    OfferFactory(storefront=storefront, title="Gift card", price_text="£25", sort_order=0)
    OfferFactory(
        storefront=storefront,
        title="Haircut",
        kind=Offer.Kind.SERVICE,
        price_text="from £10",
        sort_order=1,
    )
    OfferFactory(
        storefront=storefront, title="Ask us", price_text="Pay what you like", sort_order=2
    )
    OfferFactory(storefront=storefront, title="Hidden", is_active=False)
    data = json_ld(public_page(client, storefront).text)
    assert data["address"]["addressCountry"] == "GB"
    assert re.fullmatch(
        r"http://testserver/media/images/.+\.fill-400x400\.format-png\.png", data["logo"]
    )
    assert data["image"].endswith(".fill-400x400.format-jpeg.jpg")  # no cover: the logo
    offers = data["makesOffer"]
    assert [o["name"] for o in offers] == ["Gift card", "Haircut", "Ask us"]
    assert offers[0]["price"] == "25.00" and offers[0]["priceCurrency"] == "GBP"
    assert offers[0]["itemOffered"] == {"@type": "Product", "name": "Gift card"}
    assert offers[1]["priceSpecification"] == {
        "@type": "PriceSpecification",
        "minPrice": "10.00",
        "priceCurrency": "GBP",
    }
    assert offers[1]["itemOffered"]["@type"] == "Service"
    assert "price" not in offers[2] and "priceCurrency" not in offers[2]
    assert offers[0]["url"].startswith("https://studio.mintkit.co.uk/")
    assert data["hasOfferCatalog"]["@type"] == "OfferCatalog"
    assert data["hasOfferCatalog"]["itemListElement"] == offers


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("United Kingdom", "GB"),
        ("U.K.", "GB"),
        (" england ", "GB"),
        ("Northern Ireland", "GB"),
        ("Ireland", "IE"),
        ("Deutschland", "DE"),
        ("Atlantis", "Atlantis"),
    ],
)
def test_country_names_become_iso_codes(typed, code):
    assert country_code(typed) == code


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("£25", {"price": "25.00", "priceCurrency": "GBP"}),
        ("£ 7.50", {"price": "7.50", "priceCurrency": "GBP"}),
        ("€10,5", {"price": "10.50", "priceCurrency": "EUR"}),
        ("25 GBP", {"price": "25.00", "priceCurrency": "GBP"}),
        ("usd 12", {"price": "12.00", "priceCurrency": "USD"}),
        ("£10–£20", {}),
        ("25", {}),
        ("Free", {}),
        ("12 XYZ", {}),
        ("", {}),
    ],
)
def test_offer_prices_are_read_only_when_they_are_one_amount_in_a_known_currency(text, fields):
    assert offer_price(text) == fields


# ----- the counter poster -------------------------------------------------------------


def test_the_poster_shows_name_call_qr_and_short_url(client, site_home):
    storefront = StorefrontFactory(name="Mint & Co", slug="mint-co")
    client.force_login(storefront.profile.user)
    response = client.get("/dashboard/storefront/poster/")
    assert response.status_code == 200
    html = response.text
    assert '<h1 class="poster-name">Mint &amp; Co</h1>' in html
    assert "Scan to buy a gift card" in html
    assert re.search(r'<svg class="poster-qr" role="img" aria-label="QR code" [^>]*viewBox', html)
    assert (
        '<p class="poster-url" data-testid="poster-url">testserver/storefront/mint-co</p>' in html
    )
    assert "poster-size-a5" in html
    assert "poster-size-a4" in client.get("/dashboard/storefront/poster/?size=a4").text
    assert "poster-size-a5" in client.get("/dashboard/storefront/poster/?size=<b>").text


def test_the_poster_is_the_owners_own(client):
    assert client.get("/dashboard/storefront/poster/").status_code == 302
    client.force_login(ProfileFactory().user)  # no storefront yet
    assert client.get("/dashboard/storefront/poster/").status_code == 404


def test_the_poster_warns_when_the_storefront_is_not_published(client, site_home):
    storefront = StorefrontFactory(is_active=False)
    client.force_login(storefront.profile.user)
    assert "isn't published yet" in client.get("/dashboard/storefront/poster/").text


def test_special_date_after_today_does_not_light_up_todays_row(client, site_home):
    storefront = StorefrontFactory()
    today = storefront_local_date(storefront=storefront)
    OpeningHoursFactory(storefront=storefront, weekday=today.weekday())
    SpecialDateFactory(storefront=storefront, date=today + dt.timedelta(days=1), note="Later")
    row = re.search(
        r'<tr class="storefront-today"[^>]*>(.*?)</tr>', public_page(client, storefront).text, re.S
    )
    assert "09:00–17:00" in row.group(1) and "Later" not in row.group(1)
