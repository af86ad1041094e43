"""Owner views (owner / other owner / anonymous / staff) and the public page."""

import datetime as dt
import io
import json
import re

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
from PIL import Image

from storefronts.models import (
    Offer,
    OfferDailyStat,
    Storefront,
    StorefrontDailyStat,
    StorefrontSlugHistory,
)
from storefronts.selectors import storefront_local_date
from storefronts.services import storefront_set_active
from storefronts.tests.editor_data import EDIT, editor_data
from storefronts.tests.factories import (
    BROWSER_UA,
    OfferFactory,
    OpeningHoursFactory,
    SpecialDateFactory,
    StorefrontFactory,
    public_page,
)
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

# The owner's pages a GET opens (the editor, its stats, the QR codes, the address check).
OWNER_PAGES = (EDIT, EDIT + "stats/", EDIT + "qr.svg", EDIT + "qr.png", EDIT + "slug-check/?slug=x")


# ----- owner side -------------------------------------------------------------------


def test_anonymous_is_sent_to_log_in_from_every_owner_page(client):
    for url in OWNER_PAGES:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert client.post(EDIT + "publish/", {"action": "publish"}).status_code == 302


def test_owner_pages_need_a_verified_email_when_verification_is_mandatory(client, settings):
    from allauth.account.models import EmailAddress

    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    storefront = StorefrontFactory(slug="mint-co", is_active=False)
    client.force_login(storefront.profile.user)
    for url in OWNER_PAGES:
        response = client.get(url)
        assert "Confirm your e-mail address" in response.text, url
        assert "mint-co" not in response.text, url
    response = client.post(EDIT + "publish/", {"action": "publish"})
    assert "Confirm your e-mail address" in response.text
    client.post(EDIT, editor_data(name="Renamed", slug="mint-co"))
    storefront.refresh_from_db()
    assert not storefront.is_active and storefront.name != "Renamed"

    # (The refused visits above created the unverified address and mailed a link.)
    EmailAddress.objects.filter(user=storefront.profile.user).update(verified=True)
    assert client.get(EDIT).status_code == 200
    assert client.post(EDIT + "publish/", {"action": "publish"}).status_code == 302
    storefront.refresh_from_db()
    assert storefront.is_active


def test_owner_creates_a_draft_storefront(owner_client):
    response = owner_client.get(EDIT)
    assert response.status_code == 200
    assert "Build your storefront" in response.text
    response = owner_client.post(EDIT, editor_data())
    assert response.status_code == 302
    storefront = Storefront.objects.get()
    assert storefront.profile == owner_client.profile
    assert not storefront.is_active
    page = owner_client.get(EDIT)
    assert "Your storefront is not public yet" in page.text
    assert "Storefront created" in page.text


def refused(owner_client, data) -> str:
    """The editor's page after a submit it refuses: 400 and "Nothing was saved."."""
    response = owner_client.post(EDIT, data)
    assert response.status_code == 400
    assert "Nothing was saved." in response.text
    return response.text


def test_failed_submit_shows_errors_beside_fields_and_saves_nothing(owner_client):
    html = refused(owner_client, editor_data(brand_colour="#ffff00", **{"hours-0-closes": "08:00"}))
    assert 'id="id_brand_colour_error"' in html
    assert "hard to read" in html
    assert 'id="id_hours-0-closes_error"' in html
    assert not Storefront.objects.exists()


def test_new_hours_overlapping_saved_unchanged_hours_are_refused(owner_client):
    storefront = StorefrontFactory(profile=owner_client.profile, name="Mint & Co", slug="mint-co")
    saved = OpeningHoursFactory(
        storefront=storefront, weekday=0, opens=dt.time(9), closes=dt.time(17)
    )
    data = editor_data(
        name="Renamed",
        **{
            "hours-TOTAL_FORMS": "2",
            "hours-INITIAL_FORMS": "1",
            # The saved Monday range, left as it is…
            "hours-0-id": str(saved.pk),
            "hours-0-weekday": "0",
            "hours-0-opens": "09:00",
            "hours-0-closes": "17:00",
            # …and a new one inside it.
            "hours-1-weekday": "0",
            "hours-1-opens": "10:00",
            "hours-1-closes": "12:00",
        },
    )
    assert (
        '<div class="invalid-feedback d-block" id="id_hours-1-opens_error">'
        "Overlaps Monday 09:00–17:00.</div>"
    ) in refused(owner_client, data)
    assert list(storefront.opening_hours.values_list("opens", "closes")) == [
        (dt.time(9), dt.time(17))
    ]
    storefront.refresh_from_db()
    assert storefront.name == "Mint & Co"
    assert not storefront.offers.exists()


def test_re_adding_a_saved_special_date_is_refused_beside_the_date(owner_client):
    storefront = StorefrontFactory(profile=owner_client.profile, slug="mint-co")
    saved = SpecialDateFactory(storefront=storefront, date=dt.date(2030, 12, 25))
    data = editor_data(
        **{
            "special-TOTAL_FORMS": "2",
            "special-INITIAL_FORMS": "1",
            "special-0-id": str(saved.pk),
            "special-0-date": "2030-12-25",
            "special-0-closed": "on",
            "special-1-date": "2030-12-25",
            "special-1-closed": "on",
            "special-1-note": "Christmas",
        }
    )
    html = refused(owner_client, data)
    assert (
        '<div class="invalid-feedback d-block" id="id_special-1-date_error">'
        "This date is already listed.</div>"
    ) in html
    assert "duplicate" not in html
    assert list(storefront.special_dates.values_list("pk", flat=True)) == [saved.pk]


def test_other_owners_storefront_cannot_be_reached_or_changed(owner_client):
    victim = StorefrontFactory(slug="victim", is_active=False)
    offer = OfferFactory(storefront=victim, title="Theirs")
    # The editor shows the logged-in owner's own (new) storefront, never someone else's.
    assert "victim" not in owner_client.get(EDIT).text
    # No storefront of their own yet: the owner-only pages are 404, not the victim's.
    assert owner_client.post(EDIT + "publish/", {"action": "publish"}).status_code == 404
    assert owner_client.get(EDIT + "qr.svg").status_code == 404
    assert owner_client.get(EDIT + "stats/").status_code == 404
    # Smuggling the other owner's offer id into the formset changes nothing of theirs.
    data = editor_data(
        **{
            "offers-TOTAL_FORMS": "1",
            "offers-INITIAL_FORMS": "1",
            "offers-0-id": str(offer.pk),
            "offers-0-title": "Hacked",
        }
    )
    owner_client.post(EDIT, data)
    offer.refresh_from_db()
    assert offer.title == "Theirs" and offer.storefront == victim
    assert not Offer.objects.filter(title="Hacked").exists()
    owner_client.post(EDIT + "publish/", {"action": "publish"})  # publishes their own only
    victim.refresh_from_db()
    assert not victim.is_active
    # …and the draft's public page is the same 404 as a slug that doesn't exist.
    assert public_page(owner_client, victim).status_code == 404


def test_publish_and_unpublish(owner_client, client):
    storefront = StorefrontFactory(profile=owner_client.profile, is_active=False)
    assert owner_client.get(EDIT + "publish/").status_code == 405
    response = owner_client.post(EDIT + "publish/", {"action": "publish"}, follow=True)
    assert "Your storefront is live" in response.text
    storefront.refresh_from_db()
    assert storefront.is_active
    anonymous = Client()
    assert public_page(anonymous, storefront).status_code == 200
    owner_client.post(EDIT + "publish/", {"action": "unpublish"})
    storefront.refresh_from_db()
    assert not storefront.is_active
    assert public_page(anonymous, storefront).status_code == 404
    assert owner_client.post(EDIT + "publish/", {"action": "delete"}).status_code == 400


def test_draft_is_visible_to_owner_and_staff_with_a_banner_and_404_to_others(client):
    storefront = StorefrontFactory(is_active=False)
    assert public_page(client, storefront).status_code == 404

    client.force_login(ProfileFactory().user)
    assert public_page(client, storefront).status_code == 404

    client.force_login(storefront.profile.user)
    response = public_page(client, storefront)
    assert response.status_code == 200
    assert "Not public yet." in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text

    client.force_login(UserFactory(is_staff=True))
    response = public_page(client, storefront)
    assert response.status_code == 200
    assert "Not public yet." in response.text


def test_live_page_has_no_draft_banner(client):
    storefront = StorefrontFactory()
    client.force_login(storefront.profile.user)
    assert "Not public yet" not in public_page(client, storefront).text


def test_slug_change_keeps_the_old_url_working_with_a_301(owner_client):
    client = Client()
    storefront = StorefrontFactory(profile=owner_client.profile, slug="old-name")
    owner_client.post(EDIT, editor_data(slug="new-name", **{"offers-TOTAL_FORMS": "0"}))
    storefront.refresh_from_db()
    assert storefront.slug == "new-name"
    response = client.get("/storefront/old-name/")
    assert response.status_code == 301
    assert response["Location"] == "/storefront/new-name/"
    storefront_set_active(storefront=storefront, active=False)
    assert client.get("/storefront/old-name/").status_code == 404


def test_a_mixed_case_address_redirects_to_the_lowercase_one(client):
    StorefrontFactory(slug="mint-co")
    response = client.get("/storefront/Mint-Co/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 301
    assert response["Location"] == "/storefront/mint-co/"
    response = client.get("/storefront/MINT-CO/?utm_source=qr", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 301
    assert response["Location"] == "/storefront/mint-co/?utm_source=qr"
    assert client.get("/storefront/Nobody/").status_code == 404


def test_a_mixed_case_old_address_redirects_straight_to_the_current_one(client):
    storefront = StorefrontFactory(slug="mint-co")
    StorefrontSlugHistory.objects.create(storefront=storefront, slug="old-mint")
    response = client.get("/storefront/Old-Mint/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 301
    assert response["Location"] == "/storefront/mint-co/"


def test_a_drafts_mixed_case_address_is_404_to_others_and_redirects_for_its_owner(client):
    draft = StorefrontFactory(slug="secret-draft", is_active=False)
    assert client.get("/storefront/Secret-Draft/").status_code == 404
    client.force_login(draft.profile.user)
    response = client.get("/storefront/Secret-Draft/")
    assert response.status_code == 301 and response["Location"] == "/storefront/secret-draft/"


def test_slug_check_says_available_taken_or_invalid_and_nothing_more(owner_client):
    StorefrontFactory(slug="someone-elses", is_active=False)
    own = StorefrontFactory(profile=owner_client.profile, slug="mine")

    def check(slug):
        return owner_client.get(EDIT + "slug-check/", {"slug": slug}).json()

    assert check("free-one") == {"slug": "free-one", "status": "available"}
    assert check("someone-elses") == {"slug": "someone-elses", "status": "taken"}
    assert check("mine") == {"slug": "mine", "status": "available"}  # their own
    assert check("Mine") == {"slug": "mine", "status": "available"}
    invalid = check("admin")
    assert invalid["status"] == "invalid" and set(invalid) == {"slug", "status", "message"}
    assert check("no spaces")["status"] == "invalid"
    assert own.slug == "mine"


def test_qr_codes_of_the_public_url(owner_client):
    StorefrontFactory(profile=owner_client.profile, slug="qr-shop")
    svg = owner_client.get(EDIT + "qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert 'filename="qr-shop-qr.svg"' in svg["Content-Disposition"]
    assert b"<svg" in svg.content and b"<path" in svg.content
    png = owner_client.get(EDIT + "qr.png")
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG" and image.size[0] >= 100
    # A longer URL gives a bigger code: the content really is the page's absolute URL.
    long_host = owner_client.get(EDIT + "qr.png", HTTP_HOST="a-much-longer-host-name.example")
    assert Image.open(io.BytesIO(long_host.content)).size[0] >= image.size[0]


def test_stats_page_shows_views_clicks_and_click_through_rate(owner_client):
    storefront = StorefrontFactory(profile=owner_client.profile)
    offer = OfferFactory(storefront=storefront, title="Gift card")
    OfferFactory(storefront=storefront, title="Quiet one")
    today = dt.date.today()
    StorefrontDailyStat.objects.create(storefront=storefront, date=today, views=40)
    StorefrontDailyStat.objects.create(
        storefront=storefront, date=today - dt.timedelta(days=45), views=999
    )  # outside the 30 days
    OfferDailyStat.objects.create(offer=offer, date=today, clicks=10)
    response = owner_client.get(EDIT + "stats/")
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.text)
    assert 'data-testid="total-views">40<' in text
    assert 'data-testid="total-clicks">10<' in text
    assert '<td>Gift card</td> <td class="text-end">10</td> <td class="text-end">25.0%</td>' in text
    assert '<svg class="stats-chart"' in text


# ----- public page ------------------------------------------------------------------


@pytest.fixture
def full_storefront():
    storefront = StorefrontFactory(
        name="Mint & Co",
        slug="mint-co",
        headline="Hair in Leyton",
        description="First paragraph.\n\nSecond paragraph.",
        category="HairSalon",
        phone="+442079460958",
        contact_email="hello@mint.example",
        street="1 High Road",
        town="London",
        postcode="E10 5AA",
        instagram_url="https://instagram.com/mint",
        cta_label="Buy a gift card",
    )
    OfferFactory(storefront=storefront, title="Gift card", is_primary=True, sort_order=0)
    OfferFactory(storefront=storefront, title="Masterclass", kind=Offer.Kind.TICKET, sort_order=1)
    OfferFactory(storefront=storefront, title="Retired", is_active=False)
    OpeningHoursFactory(storefront=storefront, weekday=0, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursFactory(storefront=storefront, weekday=0, opens=dt.time(13), closes=dt.time(17))
    return storefront


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_public_page_content(client, full_storefront):
    response = public_page(client, full_storefront)
    assert response.status_code == 200
    html = response.text
    assert '<h1 class="storefront-name mb-1">Mint &amp; Co</h1>' in html
    assert "<p>First paragraph.</p>" in html and "<p>Second paragraph.</p>" in html
    assert "Gift card" in html and "Masterclass" in html and "Get tickets" in html
    assert "Retired" not in html
    assert html.index("Gift card") < html.index("Masterclass")
    go = reverse(
        "storefronts:offer_go", args=["mint-co", full_storefront.offers.get(title="Gift card").pk]
    )
    assert f'href="{go}"' in html and ">Buy a gift card</a>" in html
    assert 'href="tel:+442079460958"' in html and "020 7946 0958" in html
    assert 'href="mailto:hello@mint.example"' in html
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=1%20High%20Road" in html
    assert "09:00–12:00, 13:00–17:00" in html
    assert 'data-testid="opening-status"' in html
    # SEO
    assert "<title>Mint &amp; Co</title>" in html  # the business's page, not the hub's
    assert '<meta name="description" content="Hair in Leyton">' in html
    assert '<link rel="canonical" href="http://testserver/storefront/mint-co/">' in html
    assert '<meta property="og:title" content="Mint &amp; Co">' in html
    data = json_ld(html)
    assert data["@type"] == "HairSalon"
    assert data["name"] == "Mint & Co"
    assert data["telephone"] == "+442079460958"
    assert data["address"]["postalCode"] == "E10 5AA"
    assert {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "13:00",
        "closes": "17:00",
    } in data["openingHoursSpecification"]


def special_list(html: str) -> list[str]:
    start = html.index('<ul class="list-unstyled small mb-0 storefront-special">')
    items = html[start : html.index("</ul>", start)]
    return [re.sub(r"<[^>]+>", "", li) for li in re.findall(r"<li>(.*?)</li>", items)]


def test_public_page_lists_coming_special_dates_with_their_notes(client, full_storefront):
    today = storefront_local_date(storefront=full_storefront)
    SpecialDateFactory(storefront=full_storefront, date=today - dt.timedelta(days=1), note="Gone")
    closed = SpecialDateFactory(
        storefront=full_storefront, date=today + dt.timedelta(days=3), note="Bank holiday"
    )
    late = SpecialDateFactory(
        storefront=full_storefront,
        date=today + dt.timedelta(days=1),
        closed=False,
        opens=dt.time(12),
        closes=dt.time(20),
        note="Late opening",
    )
    plain = SpecialDateFactory(storefront=full_storefront, date=today + dt.timedelta(days=5))
    assert special_list(public_page(client, full_storefront).text) == [
        f"{late.date:%a %-d %b}: 12:00–20:00 (Late opening)",
        f"{closed.date:%a %-d %b}: Closed (Bank holiday)",
        f"{plain.date:%a %-d %b}: Closed",
    ]


def test_special_dates_show_even_without_weekly_hours(client):
    storefront = StorefrontFactory()
    day = storefront_local_date(storefront=storefront) + dt.timedelta(days=2)
    SpecialDateFactory(storefront=storefront, date=day, note="Pop-up day")
    html = public_page(client, storefront).text
    assert special_list(html) == [f"{day:%a %-d %b}: Closed (Pop-up day)"]
    assert "storefront-hours" not in html  # no empty weekly table


def test_owner_text_cannot_inject_html_or_break_out_of_json_ld(client):
    evil = '</script><script>alert("x")</script>'
    storefront = StorefrontFactory(name=evil, headline="<b>bold</b>", description=evil)
    OpeningHoursFactory(storefront=storefront)
    html = public_page(client, storefront).text
    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    payload = match.group(1)
    assert "</script" not in payload and "<" not in payload
    assert json.loads(payload)["name"] == evil


def test_public_page_query_count_is_constant(client, django_assert_max_num_queries):
    small = StorefrontFactory()
    OfferFactory(storefront=small)
    OpeningHoursFactory(storefront=small)
    big = StorefrontFactory()
    for i in range(25):
        OfferFactory(storefront=big)
    for day in range(7):
        OpeningHoursFactory(storefront=big, weekday=day, opens=dt.time(8), closes=dt.time(12))
        OpeningHoursFactory(storefront=big, weekday=day, opens=dt.time(13), closes=dt.time(18))
    for i in range(5):
        SpecialDateFactory(storefront=big, date=dt.date.today() + dt.timedelta(days=i))

    public_page(client, StorefrontFactory())  # first request of the test: site-wide set-up
    counts = {}
    for storefront in (small, big):
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert public_page(client, storefront).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert public_page(client, storefront).status_code == 200
        ours = [q for q in warm.captured_queries if "storefronts_" in q["sql"]]
        counts[storefront.pk] = (len(cold), len(warm), len(ours))
    assert counts[small.pk] == counts[big.pk]
    cold, warm, ours = counts[big.pk]
    # Cold: storefront lookup, view counter, storefront + offers + hours + special dates,
    # plus the site chrome (Wagtail site, site settings).
    assert cold <= 14  # 13 on the first view of a day (the counter row is created)
    # Cached: the view counter's UPDATE alone (the slug's head comes from the cache too).
    assert ours == 1
    with django_assert_max_num_queries(6):
        public_page(client, big)


def test_edits_show_at_once_despite_the_page_cache(owner_client, client):
    storefront = StorefrontFactory(profile=owner_client.profile, headline="Old headline")
    assert "Old headline" in public_page(client, storefront).text
    owner_client.post(
        EDIT,
        editor_data(
            slug=storefront.slug, headline="New headline", **{"offers-0-title": "Brand new offer"}
        ),
    )
    html = public_page(client, storefront).text
    assert "New headline" in html and "Brand new offer" in html


# ----- analytics ---------------------------------------------------------------------


def views_today(storefront):
    row = StorefrontDailyStat.objects.filter(storefront=storefront).first()
    return row.views if row else 0


def test_views_are_counted_per_day_without_cookies(client):
    storefront = StorefrontFactory()
    first = public_page(client, storefront)
    public_page(client, storefront)
    assert views_today(storefront) == 2
    assert StorefrontDailyStat.objects.get().date == dt.date.today()
    assert not first.cookies


@pytest.mark.parametrize(
    "agent",
    ["Googlebot/2.1 (+http://www.google.com/bot.html)", "facebookexternalhit/1.1", "curl/8.0", ""],
)
def test_bots_are_not_counted(client, agent):
    storefront = StorefrontFactory()
    assert client.get(storefront.get_absolute_url(), HTTP_USER_AGENT=agent).status_code == 200
    assert views_today(storefront) == 0


def test_owner_and_staff_visits_are_not_counted(client):
    storefront = StorefrontFactory()
    client.force_login(storefront.profile.user)
    public_page(client, storefront)
    client.force_login(UserFactory(is_staff=True))
    public_page(client, storefront)
    assert views_today(storefront) == 0
    client.force_login(ProfileFactory().user)  # another business owner is a customer too
    public_page(client, storefront)
    assert views_today(storefront) == 1


def test_offer_click_redirects_and_is_counted(client):
    storefront = StorefrontFactory()
    offer = OfferFactory(storefront=storefront, url="https://studio.mintkit.co.uk/p/42")
    url = reverse("storefronts:offer_go", args=[storefront.slug, offer.pk])
    response = client.get(url, HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 302
    assert response["Location"] == "https://studio.mintkit.co.uk/p/42"
    client.get(url, HTTP_USER_AGENT="Googlebot")
    assert OfferDailyStat.objects.get(offer=offer).clicks == 1


def test_offer_click_only_for_active_offers_of_that_active_storefront(client):
    storefront = StorefrontFactory()
    hidden = OfferFactory(storefront=storefront, is_active=False)
    elsewhere = OfferFactory()
    for offer in (hidden, elsewhere):
        url = reverse("storefronts:offer_go", args=[storefront.slug, offer.pk])
        assert client.get(url, HTTP_USER_AGENT=BROWSER_UA).status_code == 404
    draft = StorefrontFactory(is_active=False)
    offer = OfferFactory(storefront=draft)
    url = reverse("storefronts:offer_go", args=[draft.slug, offer.pk])
    assert client.get(url, HTTP_USER_AGENT=BROWSER_UA).status_code == 404
    assert not OfferDailyStat.objects.exists()


def test_owners_own_clicks_are_not_counted_but_still_redirect(client):
    storefront = StorefrontFactory()
    offer = OfferFactory(storefront=storefront)
    client.force_login(storefront.profile.user)
    url = reverse("storefronts:offer_go", args=[storefront.slug, offer.pk])
    assert client.get(url, HTTP_USER_AGENT=BROWSER_UA).status_code == 302
    assert not OfferDailyStat.objects.exists()


def test_head_requests_and_drafts_are_not_counted(client):
    storefront = StorefrontFactory()
    client.head(storefront.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)
    draft = StorefrontFactory(is_active=False)
    client.force_login(UserFactory(is_staff=True))
    public_page(client, draft)
    assert not StorefrontDailyStat.objects.exists()


def test_editor_shows_the_stored_phone_number_the_way_people_write_it(owner_client):
    StorefrontFactory(profile=owner_client.profile, phone="+442079460958")
    assert 'value="020 7946 0958"' in owner_client.get(EDIT).text


def _field_value(html, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    value = re.search(r'value="([^"]*)"', tag)
    return value.group(1) if value else ""


def test_new_storefront_editor_uses_the_business_profiles_contact_details_and_says_so(
    owner_client,
):
    profile = owner_client.profile
    profile.contact_email = "hello@mint.example"
    profile.phone = "+442079460958"
    profile.save()
    html = owner_client.get(EDIT).text
    # Left blank (= the profile's), shown as such, with a way to override.
    assert _field_value(html, "contact_email") == ""
    assert "Using your business profile's phone (020 7946 0958)" in html
    assert "Using your business profile's e-mail (hello@mint.example)" in html
    assert 'placeholder="020 7946 0958"' in html


def test_saved_storefront_keeps_its_own_contact_details_in_the_editor(owner_client):
    profile = owner_client.profile
    profile.contact_email = "hello@mint.example"
    profile.phone = "+442079460958"
    profile.save()
    StorefrontFactory(profile=profile, contact_email="", phone="")
    html = owner_client.get(EDIT).text
    assert _field_value(html, "contact_email") == ""
    assert _field_value(html, "phone") == ""


def test_editor_row_buttons_have_distinct_accessible_names(owner_client):
    storefront = StorefrontFactory(profile=owner_client.profile)
    OfferFactory(storefront=storefront, title="Haircut", sort_order=0)
    OfferFactory(storefront=storefront, title="Beard trim", sort_order=1)
    OpeningHoursFactory(storefront=storefront, weekday=0)
    OpeningHoursFactory(storefront=storefront, weekday=1)
    SpecialDateFactory(storefront=storefront, date=dt.date(2026, 12, 25))
    SpecialDateFactory(storefront=storefront, date=dt.date(2026, 12, 26))
    html = owner_client.get(EDIT).text
    # The empty-form templates are not part of the page until JS clones them.
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    buttons = re.findall(r'<button[^>]*class="[^"]*js-(?:remove|move-up|move-down)[^>]*>', html)
    names = [re.search(r'aria-label="([^"]*)"', b).group(1) for b in buttons]
    assert len(buttons) >= 10
    assert len(set(names)) == len(names)
    for name in (
        "Remove offer 1 (Haircut)",
        "Move up offer 1 (Haircut)",
        "Move down offer 2 (Beard trim)",
        "Remove opening hours row 2",
        "Remove special date 2",
    ):
        assert name in names


def test_public_page_shows_logo_and_cover_as_renditions_and_og_image(client):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image_model = get_image_model()
    logo = image_model.objects.create(title="logo", file=get_test_image_file())
    cover = image_model.objects.create(title="cover", file=get_test_image_file(size=(1600, 600)))
    storefront = StorefrontFactory(logo=logo, cover=cover, name="Pictured")
    html = public_page(client, storefront).text
    assert 'alt="Pictured logo"' in html
    # WebP renditions at the sizes the page asks for (never the raw upload).
    assert re.search(
        r'<img alt="Pictured logo" height="160" src="/media/images/[^"]+'
        r'\.fill-160x160\.format-webp\.webp" width="160">',
        html,
    )
    assert re.search(
        r'<img alt="" height="480" loading="eager" src="/media/images/[^"]+'
        r'\.fill-1600x480\.format-webp\.webp" width="1600">',
        html,
    )
    assert '<meta property="og:image" content="http://testserver/' in html
    assert logo.file.url not in html  # never the raw upload
