"""Fields every public page shares."""

from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import PageViewRestriction

from core.fields import optional_image
from core.sitecache import any_view_restrictions


class ViewRestrictionsMixin:
    """Skip Wagtail's privacy queries (the page's ancestors, then their restrictions) on
    every render while no page of the site is private; with one, Wagtail's own check runs."""

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class SeoMixin(models.Model):
    """Search-engine and social-media fields for a page.

    Wagtail's ``Page`` already has ``seo_title`` and ``search_description``; this adds the
    image shown when the page is shared, and lays the three out together on the Promote tab.
    """

    social_image = optional_image(
        help_text="Shown when the page is shared on social media (1200 × 630 works best)."
    )

    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                FieldPanel("search_description"),
                FieldPanel("social_image"),
            ],
            heading="For search engines and social media",
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading="For site menus"),
    ]

    class Meta:
        abstract = True
