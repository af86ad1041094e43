"""``seed_demo`` builds the finished-looking site, and running it again changes nothing."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from wagtail.fields import StreamField
from wagtail.models import Page

import pytest

from home import seed
from home.blocks import HomeStreamBlock
from home.models import HelpIndexPage, HelpPage, HomePage, PricingPage, SiteSettings

from .seed_snapshot import seed_snapshot

pytestmark = pytest.mark.django_db


def block_types(stream):
    return [block["type"] for block in stream]


def test_seed_builds_home_pricing_and_a_help_centre_with_five_articles(client):
    call_command("seed_demo", stdout=StringIO())

    home = HomePage.objects.get()
    # Every marketing section (test_blocks.py names them), in the order the editor offers them.
    assert [b.block_type for b in home.body] == list(HomeStreamBlock.base_blocks)
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


def test_seed_demo_builds_the_demo_site_plans_business_and_storefront():
    call_command("seed_demo", stdout=StringIO())
    seeded = seed_snapshot()

    pages = {page["url_path"]: page for page in seeded["pages"]}
    assert [(p["type"], p["url_path"], p["title"]) for p in seeded["pages"]] == [
        ("Page", "/", "Root"),
        ("HomePage", "/home/", "MintKit Hub — storefronts and sales tools for small businesses"),
        ("PricingPage", "/home/pricing/", "Pricing"),
        ("HelpIndexPage", "/home/help/", "Help"),
        ("HelpPage", "/home/help/getting-started/", "Getting started with MintKit Hub"),
        ("HelpPage", "/home/help/building-your-storefront/", "Building your storefront"),
        ("HelpPage", "/home/help/trials-and-billing/", "Free trial, plans and billing"),
        ("HelpPage", "/home/help/using-mintkit-studio/", "Using MintKit Studio"),
        ("HelpPage", "/home/help/account-and-privacy/", "Your account and privacy"),
        ("StandardPage", "/home/about/", "About MintKit"),
        ("StandardPage", "/home/privacy/", "Privacy notice"),
    ]
    assert all(p["live"] and p["revisions"] == 1 for p in seeded["pages"][1:])
    assert [url for url, p in pages.items() if p["show_in_menus"]] == [
        "/home/pricing/",
        "/home/help/",
    ]

    home = pages["/home/"]
    assert home["search_description"] == (
        "Storefronts, gift cards, tickets and vouchers for salons, gyms and studios."
    )
    hero = home["body"][0]["value"]
    assert hero["heading"] == "Your storefront and sales tools, ready this afternoon"
    assert hero["text"].endswith("Free for 14 days — no card needed.")
    assert hero["cta"] == {
        "label": "Start your free trial",
        "page": None,
        "url": "/accounts/signup/",
    }
    features = home["body"][1]["value"]["features"]
    assert [f["title"] for f in features] == [
        "A storefront page in minutes",
        "Gift cards, tickets and vouchers",
        "Simple, honest billing",
    ]
    assert "The first 30 days of your first plan are free." in features[2]["text"]
    assert [s["title"] for s in home["body"][2]["value"]["steps"]] == [
        "Sign up",
        "Build your storefront",
        "Sell with Studio",
    ]
    testimonials = home["body"][3]["value"]["testimonials"]
    assert [t["name"] for t in testimonials] == ["Priya Shah", "Tom Okafor", "Elin Hughes"]
    assert len(home["body"][4]["value"]["questions"]) == 3
    assert home["body"][5]["value"]["cta"]["label"] == "Create your account"

    pricing = pages["/home/pricing/"]
    assert "Every account starts with 14 days free" in pricing["intro"]
    assert block_types(pricing["faq"]) == ["faq"]
    questions = pricing["faq"][0]["value"]["questions"]
    assert [q["question"] for q in questions] == [
        "Is there a free trial?",
        "Can I change or cancel my plan?",
        "What if a payment fails?",
        "How do I pay?",
    ]
    assert "keep Studio access for 7 days" in questions[2]["answer"]

    assert {url: block_types(p["body"]) for url, p in pages.items() if "body" in p} == {
        "/home/": ["hero", "features", "steps", "testimonials", "faq", "cta"],
        "/home/help/getting-started/": ["text", "steps", "callout", "text"],
        "/home/help/building-your-storefront/": ["text", "steps", "callout", "text"],
        "/home/help/trials-and-billing/": ["text", "text", "steps", "callout"],
        "/home/help/using-mintkit-studio/": ["text", "steps", "callout", "code"],
        "/home/help/account-and-privacy/": ["text", "steps", "text", "callout"],
        "/home/about/": ["text"],
        "/home/privacy/": ["text"],
    }
    article = pages["/home/help/trials-and-billing/"]
    assert article["summary"] == article["search_description"]
    assert article["body"][3]["value"] == {
        "style": "warning",
        "title": "If a payment fails",
        "text": "<p>We retry the payment automatically and you keep Studio access for 7 days. "
        "Update your card in Manage billing to avoid an interruption.</p>",
    }
    assert pages["/home/help/using-mintkit-studio/"]["body"][3]["value"] == {
        "language": "text",
        "code": "Dashboard → Studio → Open MintKit Studio",
    }
    assert pages["/home/about/"]["intro"] == (
        "We build simple online tools for independent service businesses."
    )

    assert seeded["sites"] == [("testserver", 80, "MintKit Hub", True, "/home/")]
    (site_settings,) = seeded["site_settings"]
    assert [link["value"]["page"] for link in site_settings["footer_links"]] == [
        "/home/pricing/",
        "/home/help/",
        "/home/about/",
        "/home/privacy/",
    ]
    assert site_settings["support_email"] == "support@mintkit.co.uk"
    assert site_settings["announcement_text"] == (
        "New: the first 30 days of your first paid plan are free."
    )
    assert [s["value"]["network"] for s in site_settings["social_links"]] == [
        "instagram",
        "linkedin",
    ]

    assert [(p["slug"], p["amount"], p["currency"], p["interval"]) for p in seeded["plans"]] == [
        ("basic", 900, "gbp", "month"),
        ("pro", 1900, "gbp", "month"),
    ]
    (owner,) = seeded["owners"]
    assert owner["email"] == "demo@mintkit.test"
    assert owner["business_name"] == "Mint & Co. Hair Studio"
    assert owner["addresses"] == [("demo@mintkit.test", True, True)]
    (storefront,) = seeded["storefronts"]
    assert (storefront["slug"], storefront["name"], storefront["owner"]) == (
        "mint-and-co",
        "Mint & Co Hair",
        "demo@mintkit.test",
    )
    assert storefront["is_active"]
    assert [o["title"] for o in storefront["offers"]] == [
        "Gift card",
        "Cut & finish voucher",
        "Summer hair masterclass",
    ]
    assert len(storefront["hours"]) == 8
    assert [d[-1] for d in storefront["special_dates"]] == ["Christmas Day"]


@override_settings(HUB_TRIAL_DAYS=21, STRIPE_TRIAL_DAYS=45, PAST_DUE_GRACE_DAYS=10)
def test_seed_copy_quotes_the_trial_and_grace_periods_from_settings():
    call_command("seed_demo", stdout=StringIO())
    pages = {page["url_path"]: page for page in seed_snapshot()["pages"]}

    hero = pages["/home/"]["body"][0]["value"]
    assert hero["text"].endswith("Free for 21 days — no card needed.")
    answers = [q["answer"] for q in pages["/home/pricing/"]["faq"][0]["value"]["questions"]]
    assert (
        "<p>Every new account gets 21 days of full access without a card. On your first "
        "paid subscription the first 45 days are free as well.</p>" in answers
    )
    assert "keep Studio access for 10 days" in answers[2]
    assert "Every account starts with 21 days free" in pages["/home/pricing/"]["intro"]
    assert SiteSettings.objects.get().announcement_text == (
        "New: the first 45 days of your first paid plan are free."
    )


def test_seed_finds_its_content_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    call_command("seed_demo", stdout=StringIO())

    assert HelpPage.objects.count() == 5
    assert HomePage.objects.get().body[0].value["heading"] == (
        "Your storefront and sales tools, ready this afternoon"
    )


def test_running_the_seed_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    first = seed_snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert seed_snapshot() == first


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


def test_seeded_pages_and_settings_pass_the_admin_validation():
    """The copy in seed_content/ fits the blocks' limits, so an editor can save it unchanged."""
    call_command("seed_demo", stdout=StringIO())

    site_settings = SiteSettings.objects.get()
    for obj in [*Page.objects.filter(depth__gt=1).specific(), site_settings]:
        obj.full_clean()
        for field in obj._meta.fields:
            if isinstance(field, StreamField):  # full_clean() leaves the blocks unchecked
                stream = getattr(obj, field.name)
                stream.stream_block.clean(stream)


def test_a_placeholder_the_seed_does_not_know_names_the_file(tmp_path, monkeypatch):
    (tmp_path / "pricing.json").write_text(
        '{"intro": "<p>Free for {hub_trial_days} days, {{not}} a {typo_days} day more.</p>"}',
        encoding="utf-8",
    )
    monkeypatch.setattr(seed, "CONTENT_DIR", tmp_path)

    with pytest.raises(ValueError, match=r"pricing\.json: bad placeholder .*typo_days"):
        seed.load_content("pricing.json")


def test_literal_braces_in_the_copy_are_written_doubled(tmp_path, monkeypatch):
    (tmp_path / "help.json").write_text(
        '{"intro": "<p>Type {{name}} for {hub_trial_days} days.</p>"}', encoding="utf-8"
    )
    monkeypatch.setattr(seed, "CONTENT_DIR", tmp_path)

    assert seed.load_content("help.json") == {"intro": "<p>Type {name} for 14 days.</p>"}
