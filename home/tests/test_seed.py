"""``seed_demo`` builds the finished-looking site, and running it again changes nothing."""

from io import StringIO

from django.core.management import call_command

from wagtail.models import Page, Revision

import pytest

from home.models import HelpIndexPage, HelpPage, HomePage, PricingPage, SiteSettings

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": sorted(Page.objects.values_list("url_path", "title", "live")),
        "revisions": Revision.objects.count(),
        "settings": list(SiteSettings.objects.values()),
    }


def test_seed_builds_home_pricing_and_a_help_centre_with_five_articles(client):
    call_command("seed_demo", stdout=StringIO())

    home = HomePage.objects.get()
    assert [b.block_type for b in home.body] == [
        "hero",
        "features",
        "steps",
        "testimonials",
        "faq",
        "cta",
    ]
    assert client.get("/pricing/").status_code == 200
    assert PricingPage.objects.get().url == "/pricing/"
    help_index = HelpIndexPage.objects.get()
    assert help_index.url == "/help/"
    slugs = set(HelpPage.objects.child_of(help_index).live().values_list("slug", flat=True))
    assert {
        "getting-started",
        "building-your-storefront",
        "trials-and-billing",
        "using-mintkit-studio",
        "account-and-privacy",
    } <= slugs
    for article in HelpPage.objects.all():
        assert len(article.body) >= 3 and article.summary
        assert client.get(article.url).status_code == 200
    site_settings = SiteSettings.objects.get()
    assert site_settings.support_email and site_settings.footer_links
    assert site_settings.show_announcement


def test_running_the_seed_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first


def test_seed_keeps_what_the_site_owner_edited():
    call_command("seed_demo", stdout=StringIO())
    pricing = PricingPage.objects.get()
    pricing.intro = "<p>Our own words.</p>"
    pricing.save_revision().publish()
    SiteSettings.objects.update(footer_text="Owner's footer", announcement_enabled=False)

    call_command("seed_demo", stdout=StringIO())

    assert PricingPage.objects.get().intro == "<p>Our own words.</p>"
    site_settings = SiteSettings.objects.get()
    assert site_settings.footer_text == "Owner's footer"
    assert not site_settings.announcement_enabled


def test_seed_gives_editors_page_rights_and_nothing_in_billing():
    from django.contrib.auth.models import Group

    call_command("seed_demo", stdout=StringIO())
    editors = Group.objects.get(name="Editors")
    page_rights = set(editors.page_permissions.values_list("permission__codename", flat=True))
    assert {"add_page", "change_page", "publish_page"} <= page_rights
    assert not editors.permissions.filter(
        content_type__app_label__in=["billing", "accounts", "storefronts"]
    ).exists()
