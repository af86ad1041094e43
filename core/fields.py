"""Model fields more than one app declares the same way."""

from typing import Any

from django.db import models


def optional_image(**kwargs: Any) -> models.ForeignKey:
    """A link to a Wagtail image that may be empty and outlives the image (set to NULL when
    it is deleted), with no reverse accessor on the image; ``kwargs`` add e.g. help_text."""
    return models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        **kwargs,
    )
