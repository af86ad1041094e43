"""Main menu from the page tree, footer and announcement from the site settings."""

import re

from django.core.exceptions import ValidationError

from wagtail.models import PageViewRestriction

import pytest

from home.models import HelpIndexPage, PricingPage, SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def nav_links(html):
    start = html.index('<ul class="navbar-nav me-auto')
    nav = html[start : html.index("</ul>", start)]
    return re.findall(r'<a class="nav-link[^"]*"[^>]*href="([^"]+)">([^<]+)</a>', nav)


def test_main_menu_comes_from_the_pages_marked_show_in_menus(client, seeded_site):
    assert nav_links(client.get("/").content.decode()) == [
        ("/", "Home"),
        ("/pricing/", "Pricing"),
        ("/help/", "Help"),
    ]

    about = StandardPage.objects.get(slug="about")
    about.show_in_menus = True
    about.save_revision().publish()
    assert ("/about/", "About MintKit") in nav_links(client.get("/").content.decode())

    help_index = HelpIndexPage.objects.get()
    help_index.unpublish()
    assert ("/help/", "Help") not in nav_links(client.get("/").content.decode())


def test_menu_marks_the_current_section(client, seeded_site):
    html = client.get("/help/getting-started/").content.decode()
    assert 'class="nav-link active" aria-current="page" href="/help/">Help</a>' in html
    assert 'class="nav-link" href="/">Home</a>' in html


def test_renamed_page_shows_in_the_menu_once_published(client, seeded_site):
    client.get("/")  # fills the menu cache
    pricing = PricingPage.objects.get()
    pricing.title = "Plans"
    pricing.save_revision()
    assert ("/pricing/", "Pricing") in nav_links(client.get("/").content.decode())
    pricing.get_latest_revision().publish()
    assert ("/pricing/", "Plans") in nav_links(client.get("/").content.decode())


def test_a_page_made_private_leaves_the_menu_at_once_and_returns_when_public(client, seeded_site):
    client.get("/")  # fills the menu cache
    pricing = PricingPage.objects.get()
    restriction = PageViewRestriction.objects.create(
        page=pricing, restriction_type=PageViewRestriction.LOGIN
    )
    assert ("/pricing/", "Pricing") not in nav_links(client.get("/").content.decode())
    restriction.delete()
    assert ("/pricing/", "Pricing") in nav_links(client.get("/").content.decode())


def test_footer_shows_the_settings_links_social_and_support(client, seeded_site):
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert "Storefronts and Studio access for small service businesses." in footer
    assert 'href="/about/">About MintKit</a>' in footer
    assert 'href="/privacy/">Privacy notice</a>' in footer
    assert 'href="https://www.instagram.com/mintkit"' in footer and ">Instagram<" in footer
    assert 'href="mailto:support@mintkit.co.uk"' in footer


def test_announcement_banner_shows_only_when_switched_on(client, seeded_site):
    html = client.get("/help/").content.decode()
    assert 'aria-label="Announcement"' in html
    assert 'href="/pricing/">See the plans</a>' in html

    # Saved as the settings form in the admin saves it (the page cache hears of it).
    site_settings = SiteSettings.objects.get()
    site_settings.announcement_enabled = False
    site_settings.save()
    assert 'aria-label="Announcement"' not in client.get("/help/").content.decode()


def test_announcement_settings_are_validated(seeded_site):
    site_settings = SiteSettings.objects.get()
    site_settings.announcement_url = "javascript:alert(1)"
    with pytest.raises(ValidationError) as error:
        site_settings.full_clean()
    assert "announcement_url" in error.value.message_dict
    site_settings.announcement_url = "/pricing/"
    site_settings.announcement_text = ""
    with pytest.raises(ValidationError) as error:
        site_settings.full_clean()
    assert "announcement_text" in error.value.message_dict


@pytest.mark.parametrize("url", ["/", "/help/", "/help/trials-and-billing/", "/about/"])
def test_public_pages_need_few_queries(client, seeded_site, url, django_assert_max_num_queries):
    client.get(url)  # warm the menu cache
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200


def test_error_page_still_renders_without_a_site(client, db):
    # No Wagtail site at all (empty tree): the chrome renders without menu or settings.
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
