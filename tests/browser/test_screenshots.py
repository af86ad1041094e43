"""The README's screenshots: home, pricing, dashboard, storefront editor, a public storefront,
the Studio page and the storefront's stats (visits by source, Studio sales), at a laptop width
(1366 × 900) and a phone width (390 × 844).

``make screenshots`` runs this module with ``SCREENSHOTS=1`` and writes
``docs/screenshots/<page>-desktop.png`` and ``<page>-phone.png``, and some whole pages
(``storefront-phone-full.png``, ``dashboard-desktop-full.png``, ``stats-desktop-full.png``).
Without the variable (as in
``make test``) the same pages are still visited and checked — each answers 200 with its heading
and nothing runs off the side of a phone — but no file is written, so the suite stays quick.

The content is ``seed_demo``'s demo business (Mint & Co Hair, its offers, hours and a Christmas
closure) with a logo and a month of views and clicks added, so the pictures look like the
product in use. The browser asks for ``https://mintkit.co.uk/…`` and Playwright hands each
request to the live test server with that ``Host`` (and ``X-Forwarded-Proto: https``, as the
production proxy sends), so the links the pages print read like the real site's rather than
``localhost:<random port>``. Look at every picture before committing it.
"""

import datetime as dt
import io
import os
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from wagtail.models import Collection

import pytest
from PIL import Image, ImageDraw

from accounts.images import owner_image_save
from accounts.models import User
from sales.models import StudioEvent
from storefronts.models import OfferDailyStat, Storefront, StorefrontDailyStat
from storefronts.selectors import storefront_local_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUT = Path(settings.BASE_DIR) / "docs" / "screenshots"
WRITE = os.environ.get("SCREENSHOTS") == "1"
HOST = "mintkit.co.uk"
ORIGIN = f"https://{HOST}"
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Beyond this a picture is quantised to 256 colours (text stays crisp; the README stays light).
MAX_BYTES = 250_000

# (file name, path, who looks, heading they see, the sizes also shot as the whole page)
SHOTS = [
    ("home", "/", "anyone", None, ()),
    ("pricing", "/pricing/", "anyone", None, ()),
    ("storefront", "/storefront/mint-and-co/", "anyone", "Mint & Co Hair", ("phone",)),
    ("dashboard", "/dashboard/", "owner", "Welcome, Mint & Co. Hair Studio", ("desktop",)),
    ("editor", "/dashboard/storefront/", "owner", None, ()),
    ("studio", "/studio/", "owner", None, ()),
    ("stats", "/dashboard/storefront/stats/", "owner", None, ("desktop",)),
]


def a_logo() -> SimpleUploadedFile:
    """A simple mark in the demo's brand colour: a mint leaf on a green disc."""
    size = 480
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size - 1, size - 1), fill="#146c43")
    draw.ellipse((130, 90, 350, 390), fill="#d1e7dd")
    draw.line((240, 110, 240, 420), fill="#146c43", width=18)
    for y in (190, 260, 330):
        draw.line((240, y + 40, 170, y - 10), fill="#146c43", width=12)
        draw.line((240, y + 40, 310, y - 10), fill="#146c43", width=12)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile("mint-and-co.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def demo_owner(db, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    # An earlier transactional test's flush may have taken Wagtail's root collection with it
    # (conftest.py puts it back, but only after the fixtures); the logo needs it now.
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    owner = User.objects.get(email="demo@mintkit.test")
    profile = owner.profile
    profile.logo = owner_image_save(upload=a_logo(), title="Mint & Co logo")
    profile.save()
    storefront = Storefront.objects.get(slug="mint-and-co")
    today = storefront_local_date(storefront=storefront)
    views = [12, 9, 17, 14, 8, 21, 16, 11, 7, 13, 19, 10, 6, 15, 18]
    # Where the visits came from: the counter QR code most, then direct, social, search.
    StorefrontDailyStat.objects.bulk_create(
        StorefrontDailyStat(
            storefront=storefront,
            date=today - dt.timedelta(days=n),
            views=v,
            qr_views=v - v // 3 - v // 5 - v // 7,
            direct_views=v // 3,
            social_views=v // 5,
            search_views=v // 7,
        )
        for n, v in enumerate(views + views[::-1])
    )
    gift_card = storefront.offers.get(is_primary=True)
    OfferDailyStat.objects.bulk_create(
        OfferDailyStat(offer=gift_card, date=today - dt.timedelta(days=n), clicks=v // 4)
        for n, v in enumerate(views + views[::-1])
    )
    # What the Studio reported back (POST /api/v1/studio/events): gift cards sold and redeemed.
    now = dt.datetime.now(dt.UTC)
    StudioEvent.objects.bulk_create(
        StudioEvent(
            event_id=f"evt_demo_{n}",
            profile=profile,
            storefront=storefront,
            type="redemption" if n % 4 == 3 else "sale",
            product_kind="voucher" if n % 5 == 4 else "gift_card",
            amount=(2500, 5000, 3000)[n % 3],
            currency="GBP",
            occurred_at=now - dt.timedelta(days=n * 2, hours=3),
        )
        for n in range(12)
    )
    return owner


@pytest.fixture
def shop_window(page, live_server):
    """The page, browsing ``https://mintkit.co.uk`` served by the live test server."""

    def forward(route):
        request = route.request
        headers = {**request.headers, "host": HOST, "x-forwarded-proto": "https"}
        response = route.fetch(
            url=live_server.url + request.url.removeprefix(ORIGIN), headers=headers, max_redirects=0
        )
        route.fulfill(response=response)

    page.route(f"{ORIGIN}/**", forward)
    yield page
    # A request still in flight when the test ends must not fail the next test's set-up
    # ("Route.fulfill: Fetch response has been disposed").
    page.unroute_all(behavior="ignoreErrors")


def log_in(page, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": ORIGIN,
            }
        ]
    )


def save(png: bytes, path: Path) -> None:
    if len(png) > MAX_BYTES:
        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256)
        buffer = io.BytesIO()
        image.save(buffer, "PNG", optimize=True)
        png = buffer.getvalue()
    path.write_bytes(png)


def visit_and_shoot(page, name, path, heading, full_sizes, problems):
    for size_name, size in SIZES.items():
        page.set_viewport_size(size)
        response = page.goto(ORIGIN + path)
        if response is None or response.status != 200:
            problems.append(f"{path} @ {size_name}: {response and response.status}")
            continue
        h1 = page.get_by_role("heading", level=1).first
        if heading is not None and h1.inner_text().strip() != heading:
            problems.append(f"{path} @ {size_name}: heading {h1.inner_text()!r}")
        if size_name == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                problems.append(f"{path} @ phone: {width} px wide, runs off the screen")
        if name == "editor" and size_name == "desktop":
            page.locator("#section-details > summary").first.click()  # show one section's fields
            page.wait_for_load_state("networkidle")  # the web address's availability check
        if WRITE:
            page.evaluate("document.fonts.ready")
            save(page.screenshot(), OUT / f"{name}-{size_name}.png")
            if size_name in full_sizes:
                save(page.screenshot(full_page=True), OUT / f"{name}-{size_name}-full.png")


def test_the_readme_pages_render_for_their_audience(shop_window, demo_owner):
    page = shop_window
    if WRITE:
        OUT.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for name, path, who, heading, full in SHOTS:
        if who == "anyone":
            visit_and_shoot(page, name, path, heading, full, problems)
    log_in(page, demo_owner)
    for name, path, who, heading, full in SHOTS:
        if who == "owner":
            visit_and_shoot(page, name, path, heading, full, problems)
    assert not problems, "\n".join(problems)
