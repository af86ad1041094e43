"""The public storefront's weight on a phone's first visit (issue 15): HTML, CSS and JS,
compressed, under 60 KB; one render-blocking stylesheet and nothing else; images as WebP
renditions with their size, lazy below the fold."""

import datetime as dt
import gzip
import re
from html.parser import HTMLParser
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

import pytest

from storefronts.tests.factories import (
    OfferFactory,
    OpeningHoursFactory,
    StorefrontFactory,
    public_page,
)
from storefronts.tests.test_contact_source import an_image
from storefronts.tests.test_themes import THEMES
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db
BUDGET = 60 * 1024


class Assets(HTMLParser):
    """The stylesheets, scripts and images a page asks for, with where they sit."""

    def __init__(self):
        super().__init__()
        self.in_head = False
        self.stylesheets: list[dict] = []
        self.scripts: list[dict] = []
        self.images: list[dict] = []
        self.in_hero = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append({**attrs, "in_head": self.in_head})
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs)
        elif tag == "header" and "storefront-hero" in (attrs.get("class") or ""):
            self.in_hero = 1
        elif tag == "img":
            self.images.append({**attrs, "in_hero": bool(self.in_hero)})

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        elif tag == "header":
            self.in_hero = 0


def parse(html: str) -> Assets:
    assets = Assets()
    assets.feed(html)
    return assets


def a_full_storefront(theme="classic"):
    profile = ProfileFactory(logo=an_image("logo"), phone="+442079460958")
    storefront = StorefrontFactory(
        profile=profile,
        theme=theme,
        cover=an_image("cover"),
        description="We cut, colour and style hair in Leyton. " * 30,
        street="1 High Road",
        town="London",
        postcode="E10 5AA",
        instagram_url="https://www.instagram.com/mintandco",
        cta_label="Book now",
        cta_url="https://book.example/mint",
    )
    for n in range(6):
        OfferFactory(storefront=storefront, description="A gift for someone special. " * 4)
    for day in range(6):
        OpeningHoursFactory(
            storefront=storefront, weekday=day, opens=dt.time(9), closes=dt.time(17)
        )
    return storefront


def compressed_size(text: bytes) -> int:
    return len(gzip.compress(text, compresslevel=6))


def first_load(html: str) -> dict[str, int]:
    """Each same-origin piece of the first load (the HTML, its stylesheets and scripts),
    gzipped."""
    assets = parse(html)
    sizes = {"html": compressed_size(html.encode())}
    for url in [s["href"] for s in assets.stylesheets] + [s["src"] for s in assets.scripts]:
        assert url.startswith(settings.STATIC_URL), f"not same-origin static: {url}"
        found = finders.find(url.removeprefix(settings.STATIC_URL))
        assert found, url
        sizes[url] = compressed_size(Path(found).read_bytes())
    return sizes


@pytest.mark.parametrize("theme", THEMES)
def test_first_load_is_under_60_kb_compressed(client, theme):
    storefront = a_full_storefront(theme)
    sizes = first_load(public_page(client, storefront).text)
    total = sum(sizes.values())
    report = ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in sizes.items())
    assert total < BUDGET, f"first load {total / 1024:.1f} KB: {report}"
    assert len(sizes) >= 3  # the HTML, the stylesheet and the page's script were all counted


def test_one_render_blocking_stylesheet_and_no_blocking_script(client):
    html = public_page(client, a_full_storefront()).text
    assets = parse(html)
    assert len(assets.stylesheets) == 1 and assets.stylesheets[0]["in_head"]
    assert assets.scripts, "the page's script was expected"
    for script in assets.scripts:
        assert "defer" in script or "async" in script or script.get("type") == "module", script
    assert not re.search(r"@import", html)


def test_images_are_webp_renditions_with_their_size_and_lazy_below_the_fold(client):
    storefront = a_full_storefront()
    html = public_page(client, storefront).text
    images = parse(html).images
    assert len(images) >= 2  # cover and logo
    for image in images:
        assert image["src"].endswith(".webp"), image
        assert int(image["width"]) > 0 and int(image["height"]) > 0, image
        assert image.get("alt") is not None, image
        if not image["in_hero"]:
            assert image.get("loading") == "lazy", image
    cover = next(i for i in images if i["in_hero"] and i.get("alt") == "")
    assert cover.get("loading") == "eager"  # the largest thing above the fold
