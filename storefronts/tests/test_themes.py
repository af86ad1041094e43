"""Storefront themes: the editor's ``theme`` field, the public page wearing it
(``<body data-theme>`` and its one bundled stylesheet), the page cache following a change,
and what a hostile value gets."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

import pytest

from storefronts.models import Storefront, Theme
from storefronts.tests.editor_data import EDIT, editor_data
from storefronts.tests.factories import StorefrontFactory, public_page
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

THEMES = ["classic", "bold", "minimal", "warm"]


def body_theme(html: str) -> str:
    return re.search(r'<body[^>]*\sdata-theme="([^"]*)"', html).group(1)


def stylesheets(html: str) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def static_text(url: str) -> str:
    found = finders.find(url.removeprefix(settings.STATIC_URL))
    assert found, url
    return Path(found).read_text()


@pytest.fixture
def owner():
    profile = ProfileFactory()
    client = Client()
    client.force_login(profile.user)
    client.profile = profile
    return client


def test_the_themes_offered_are_the_four_each_with_its_bundle():
    assert Theme.values == THEMES
    assert list(settings.STOREFRONT_THEMES) == THEMES
    assert Storefront._meta.get_field("theme").default == "classic"


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_is_worn_by_the_public_page_with_its_own_css(client, theme):
    storefront = StorefrontFactory(theme=theme, brand_colour="#7a1f5c")
    html = public_page(client, storefront).text
    assert body_theme(html) == theme
    # One stylesheet, carrying Bootstrap, the storefront styles and this theme only.
    [sheet] = stylesheets(html)
    assert sheet.endswith(f"css/storefront-page-{theme}.css")
    css = static_text(sheet)
    assert f'[data-theme="{theme}"]' in css
    assert css.count("[data-theme=") == css.count(f'[data-theme="{theme}"]')
    assert ".storefront-hero" in css and ".btn{" in css  # ours and Bootstrap's
    assert "sourceMappingURL" not in css
    # The owner's colour still reaches every theme.
    assert "--sf-brand: #7a1f5c" in html


def test_a_theme_change_shows_at_once_despite_the_page_cache(client, owner):
    storefront = StorefrontFactory(profile=owner.profile, theme="classic")
    assert body_theme(public_page(client, storefront).text) == "classic"
    assert body_theme(public_page(client, storefront).text) == "classic"  # now from the cache
    response = owner.post(EDIT, editor_data(slug=storefront.slug, theme="warm"))
    assert response.status_code == 302
    html = public_page(client, storefront).text
    assert body_theme(html) == "warm"
    assert stylesheets(html)[0].endswith("css/storefront-page-warm.css")


def test_the_editor_offers_the_theme_in_the_look_section_beside_the_colour(owner):
    StorefrontFactory(profile=owner.profile, theme="minimal")
    html = owner.get(EDIT).text
    look = html[html.index('id="section-look"') :]
    look = look[: look.index("</details>")]
    select = re.search(r'<select name="theme"[^>]*>(.*?)</select>', look, re.S)
    assert select, "no theme select in the Look section"
    options = re.findall(r'<option value="([^"]+)"', select.group(1))
    assert options == THEMES
    assert re.search(r'<option value="minimal"[^>]*selected', select.group(1))
    assert look.index('name="theme"') < look.index('name="brand_colour"')
    # The preview sample starts in the saved theme, hidden until its script shows it.
    assert 'data-theme="minimal" data-testid="theme-preview"' in look
    assert "js/storefront-theme-preview.js" in html
    assert "css/storefront-themes.css" in html


@pytest.mark.parametrize("hostile", ["neon", "CLASSIC", '"><script>alert(1)</script>', "bold "])
def test_an_unknown_theme_is_a_form_error_and_nothing_is_saved(owner, hostile):
    storefront = StorefrontFactory(profile=owner.profile, theme="bold", headline="Kept")
    response = owner.post(
        EDIT, editor_data(slug=storefront.slug, theme=hostile, headline="Changed")
    )
    assert response.status_code == 400  # a refused editor form, shown again with its errors
    assert "theme" in response.context["editor"].form.errors
    assert 'id="id_theme_error"' in response.text
    assert "<script>alert(1)</script>" not in response.text
    storefront.refresh_from_db()
    assert (storefront.theme, storefront.headline) == ("bold", "Kept")


def test_leaving_the_theme_out_keeps_the_current_one(owner):
    storefront = StorefrontFactory(profile=owner.profile, theme="warm")
    data = editor_data(slug=storefront.slug, headline="New")
    data.pop("theme", None)
    assert owner.post(EDIT, data).status_code == 302
    storefront.refresh_from_db()
    assert (storefront.theme, storefront.headline) == ("warm", "New")
    data["theme"] = ""
    assert owner.post(EDIT, data).status_code == 302
    storefront.refresh_from_db()
    assert storefront.theme == "warm"


def test_a_stored_theme_no_longer_offered_shows_as_classic(client):
    storefront = StorefrontFactory()
    Storefront.objects.filter(pk=storefront.pk).update(theme="retired")
    response = public_page(client, storefront)
    assert response.status_code == 200
    assert body_theme(response.text) == "classic"
    assert stylesheets(response.text)[0].endswith("css/storefront-page-classic.css")


def test_a_new_storefront_starts_classic(owner):
    data = editor_data(slug="fresh-start")
    data.pop("theme", None)
    assert owner.post(EDIT, data).status_code == 302
    assert Storefront.objects.get(slug="fresh-start").theme == "classic"
