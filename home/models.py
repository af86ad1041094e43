"""Wagtail page types for the marketing site and help centre, and the site-wide settings.

Tree: Root → HomePage (one) → PricingPage (one), HelpIndexPage (one) → HelpPage,
and StandardPage (about, terms, privacy…) under the home page or another StandardPage.
"""

from django.core.exceptions import ValidationError
from django.db import models

from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import ArticleStreamBlock, FAQBlock, HomeStreamBlock, LinkBlock
from .mixins import SeoMixin, ViewRestrictionsMixin

INTRO_FEATURES = ["bold", "italic", "link"]


class HomePage(SeoMixin, ViewRestrictionsMixin, Page):
    """The site's root page at ``/``: hero, features, how it works, testimonials, FAQ, CTA."""

    body = StreamField(HomeStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.PricingPage", "home.HelpIndexPage", "home.StandardPage"]
    max_count = 1


class PricingPage(SeoMixin, ViewRestrictionsMixin, Page):
    """``/pricing/``: editable intro and FAQ around the plan cards.

    The plans themselves come from billing's ``SubscriptionPlan`` table, never typed here.
    """

    intro = RichTextField(features=INTRO_FEATURES, blank=True)
    faq = StreamField([("faq", FAQBlock())], blank=True, max_num=1, verbose_name="FAQ")

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("faq")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("faq")]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from billing.selectors import plans_active

        context = super().get_context(request, *args, **kwargs)
        context["plans"] = plans_active()
        return context


class HelpIndexPage(SeoMixin, ViewRestrictionsMixin, Page):
    """``/help/``: the help centre, listing its articles."""

    intro = RichTextField(features=INTRO_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.HelpPage"]
    max_count = 1

    def articles(self):
        return HelpPage.objects.child_of(self).live().public().order_by("path")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = self.articles()
        return context


class HelpPage(SeoMixin, ViewRestrictionsMixin, Page):
    """One help-centre article."""

    summary = models.CharField(
        max_length=250, help_text="One or two sentences shown in the help index and in search."
    )
    body = StreamField(ArticleStreamBlock())

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HelpIndexPage"]
    subpage_types: list[str] = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Home › Help › (this article): skip Wagtail's invisible tree root.
        context["breadcrumbs"] = self.get_ancestors().filter(depth__gt=1)
        return context


class StandardPage(SeoMixin, ViewRestrictionsMixin, Page):
    """A plain content page: about us, terms, privacy."""

    intro = models.CharField(max_length=250, blank=True)
    body = StreamField(ArticleStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]


SOCIAL_NETWORKS = [
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("linkedin", "LinkedIn"),
    ("x", "X"),
    ("youtube", "YouTube"),
    ("tiktok", "TikTok"),
]


class SocialLinkValue(blocks.StructValue):
    @property
    def label(self) -> str:
        return dict(SOCIAL_NETWORKS).get(self.get("network"), "")


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(choices=SOCIAL_NETWORKS)
    url = blocks.URLBlock()

    class Meta:
        icon = "site"
        value_class = SocialLinkValue


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Footer, social links, support address and the announcement banner, per site."""

    footer_text = models.CharField(
        max_length=250,
        blank=True,
        default="Storefronts and Studio access for small service businesses.",
    )
    footer_links = StreamField([("link", LinkBlock())], blank=True)
    social_links = StreamField([("social", SocialLinkBlock())], blank=True)
    support_email = models.EmailField(blank=True)

    announcement_enabled = models.BooleanField("show the announcement", default=False)
    announcement_text = models.CharField(max_length=200, blank=True)
    announcement_link_label = models.CharField(max_length=60, blank=True)
    announcement_url = models.CharField(
        max_length=300, blank=True, help_text="A path such as /pricing/ or a full URL."
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("announcement_enabled"),
                FieldPanel("announcement_text"),
                FieldPanel("announcement_link_label"),
                FieldPanel("announcement_url"),
            ],
            heading="Announcement banner",
        ),
        MultiFieldPanel(
            [
                FieldPanel("footer_text"),
                FieldPanel("footer_links"),
                FieldPanel("social_links"),
                FieldPanel("support_email"),
            ],
            heading="Footer",
        ),
    ]

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"

    def clean(self):
        super().clean()
        if self.announcement_url and not self.announcement_url.startswith(
            ("/", "https://", "http://")
        ):
            raise ValidationError(
                {"announcement_url": "Start with / for a page on this site, or with https://."}
            )
        if self.announcement_enabled and not self.announcement_text:
            raise ValidationError({"announcement_text": "Write the announcement to show it."})

    @property
    def show_announcement(self) -> bool:
        return self.announcement_enabled and bool(self.announcement_text)
