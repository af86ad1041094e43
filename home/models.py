"""Wagtail page types for the marketing site."""

from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's root page at ``/``."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, "intro"]
    max_count = 1
