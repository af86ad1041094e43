"""What every part of the storefront editor shares: the base form, how model fields become
form fields (links as people type them), and a fast ``<select>`` for long choice lists."""

import functools

from django import forms
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .links import TypedWebURLFormField

SOCIAL_NETWORKS = {"instagram_url": "instagram", "facebook_url": "facebook", "tiktok_url": "tiktok"}


def editor_formfield(db_field, **kwargs):
    # Links are taken as people type them: "www.example.co.uk" is stored as
    # https://www.example.co.uk, "@sunnyside" in the Instagram field as its profile address.
    if isinstance(db_field, models.URLField):
        kwargs["form_class"] = TypedWebURLFormField
        if db_field.name in SOCIAL_NETWORKS:
            kwargs["network"] = SOCIAL_NETWORKS[db_field.name]
    return db_field.formfield(**kwargs)


class EditorForm(forms.ModelForm):
    """A part of the storefront editor. Most of its fields are optional, so the field
    template marks the required ones with a * (templates/components/field.html)."""

    mark_required_fields = True


def _attributes(attrs: dict) -> str:
    """Attributes as django/forms/widgets/attrs.html writes them, in their order."""
    return mark_safe(  # noqa: S308 - every part is escaped by format_html
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


@functools.lru_cache(maxsize=32)
def _options_html(choices, selected: tuple) -> str:
    """The ``<option>``s; remembered, since the ~600 time zones are the same every time."""
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        (
            (option, " selected" if str(option) in selected else "", label)
            for option, label in choices
        ),
    )


class QuickSelect(forms.Select):
    """A ``<select>`` whose options are written in Python, not one template each.

    Django renders every ``<option>`` through its own template include; for the ~600 time
    zones that was 74 ms of the editor's 220 ms (docs/PERFORMANCE.md). Same markup, same
    escaping; a select with option groups falls back to Django's templates.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if self.allow_multiple_selected or any(
            isinstance(label, (list, tuple)) for _value, label in choices
        ):
            return super().render(name, value, attrs, renderer)
        selected = tuple(self.format_value(value))
        try:
            options = _options_html(tuple(choices), selected)
        except TypeError:  # a choice that cannot be a cache key: write it every time
            options = _options_html.__wrapped__(choices, selected)
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            _attributes(self.build_attrs(self.attrs, attrs)),
            options,
        )
