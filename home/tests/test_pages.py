"""Page types: where each may be created, and what each shows a visitor."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

import pytest

from billing.tests.factories import SubscriptionPlanFactory
from home import seed
from home.models import HelpIndexPage, HelpPage, HomePage, PricingPage, StandardPage

pytestmark = pytest.mark.django_db


class TestPageTreeRules(WagtailPageTestCase):
    def setUp(self):
        self.home = seed.ensure_home_page()
        self.help_index = HelpIndexPage.objects.get()

    def test_home_page_sits_only_at_the_top(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {PricingPage, HelpIndexPage, StandardPage})
        # Only one home page: there is one already.
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_pricing_and_help_index_are_single_children_of_home(self):
        self.assertAllowedParentPageTypes(PricingPage, {HomePage})
        self.assertAllowedParentPageTypes(HelpIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(PricingPage, set())
        self.assertAllowedSubpageTypes(HelpIndexPage, {HelpPage})
        self.assertCanCreateAt(HomePage, PricingPage)
        self.assertCanNotCreateAt(HelpIndexPage, PricingPage)
        # Both exist already (seeded) and max_count is 1: no second one.
        self.assertFalse(PricingPage.can_create_at(self.home))
        self.assertFalse(HelpIndexPage.can_create_at(self.home))

    def test_help_articles_live_only_in_the_help_centre(self):
        self.assertAllowedParentPageTypes(HelpPage, {HelpIndexPage})
        self.assertAllowedSubpageTypes(HelpPage, set())
        self.assertCanCreateAt(HelpIndexPage, HelpPage)
        self.assertCanNotCreateAt(HomePage, HelpPage)
        self.assertCanNotCreateAt(StandardPage, HelpPage)

    def test_standard_pages_nest_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(HelpIndexPage, StandardPage)

    def test_a_help_article_can_be_created_through_the_admin_form(self):
        self.login()  # a superuser
        self.assertCanCreate(
            self.help_index,
            HelpPage,
            {
                "title": "Exporting your data",
                "slug": "exporting-your-data",
                "summary": "How to download everything.",
                "body-count": "1",
                "body-0-type": "text",
                "body-0-value": '{"blocks":[{"key":"a","text":"Use the export button.",'
                '"type":"unstyled","depth":0,"inlineStyleRanges":[],"entityRanges":[]}],'
                '"entityMap":{}}',
                "body-0-deleted": "",
                "body-0-order": "0",
            },
        )


def test_home_page_renders_every_section(client, seeded_site):
    html = client.get("/").content.decode()
    assert "Your storefront and sales tools, ready this afternoon" in html  # hero
    assert 'href="/accounts/signup/"' in html  # hero call to action
    assert "A storefront page in minutes" in html  # features
    assert "How it works" in html and "step-number" in html  # steps
    assert "Priya Shah" in html  # testimonials
    assert "Do I need a card to try MintKit Hub?" in html  # FAQ
    assert "Ready to open your online shop window?" in html  # closing CTA
    assert html.count("<h1") == 1


def test_pricing_page_shows_the_active_plans_from_billing_with_its_own_intro_and_faq(
    client, seeded_site
):
    SubscriptionPlanFactory(name="Basic", slug="basic", amount=900, sort_order=10)
    SubscriptionPlanFactory(name="Pro", slug="pro", amount=1900, sort_order=20)
    SubscriptionPlanFactory(name="Legacy", slug="legacy", amount=500, is_active=False)
    pricing = PricingPage.objects.get()
    pricing.intro = "<p>Simple prices for busy owners.</p>"
    pricing.save_revision().publish()

    response = client.get("/pricing/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Simple prices for busy owners." in html
    assert 'data-plan="basic"' in html and 'data-plan="pro"' in html
    assert "Legacy" not in html
    assert html.index('data-plan="basic"') < html.index('data-plan="pro"')
    assert "Pricing questions" in html  # the editable FAQ


def test_help_index_lists_live_articles_and_hides_drafts(client, seeded_site):
    help_index = HelpIndexPage.objects.get()
    draft = help_index.add_child(
        instance=HelpPage(
            title="Secret roadmap", slug="roadmap", summary="Not yet.", live=False, body=[]
        )
    )
    draft.save_revision()

    html = client.get("/help/").content.decode()
    for article in HelpPage.objects.live():
        assert article.title in html
        assert f'href="{article.url}"' in html
    assert "Secret roadmap" not in html
    assert client.get("/help/roadmap/").status_code == 404


def test_help_article_shows_breadcrumbs_back_to_help_and_home(client, seeded_site):
    html = client.get("/help/trials-and-billing/").content.decode()
    crumbs = html[
        html.index('aria-label="Breadcrumb"') : html.index(
            "</nav>", html.index('aria-label="Breadcrumb"')
        )
    ]
    assert '<a href="/">Home</a>' in crumbs
    assert '<a href="/help/">Help</a>' in crumbs
    assert 'aria-current="page">Free trial, plans and billing<' in crumbs


def test_page_shows_its_seo_title_description_and_social_image(client, seeded_site):
    from wagtail_factories import ImageFactory

    article = HelpPage.objects.get(slug="getting-started")
    article.seo_title = "Start here | MintKit help"
    article.search_description = "Set up MintKit Hub in ten minutes."
    article.social_image = ImageFactory(title="Dashboard screenshot")
    article.save_revision().publish()

    html = client.get("/help/getting-started/").content.decode()
    assert "<title>Start here | MintKit help · MintKit Hub</title>" in html
    assert '<meta name="description" content="Set up MintKit Hub in ten minutes.">' in html
    assert '<meta property="og:title" content="Start here | MintKit help">' in html
    assert '<meta property="og:image" content="http://testserver/' in html
    assert 'og:image:alt" content="Dashboard screenshot"' in html
    assert '<link rel="canonical" href="http://testserver/help/getting-started/">' in html


def test_every_page_type_offers_the_seo_fields_on_the_promote_tab():
    for model in (HomePage, PricingPage, HelpIndexPage, HelpPage, StandardPage):
        form_class = model.get_edit_handler().get_form_class()
        for field in ("seo_title", "search_description", "social_image", "show_in_menus"):
            assert field in form_class.base_fields, (model, field)
