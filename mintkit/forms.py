"""The site's form renderer: every field renders through ``templates/components/field.html``."""

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.html import conditional_escape

_DJANGO_FORMS_TEMPLATES = Path(django.forms.__file__).parent / "templates"

# Django's widget templates that are nothing but its <input> template.
PLAIN_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text", "email", "url", "number", "password", "hidden", "date", "time",
        "datetime", "search", "tel", "color", "checkbox",
    )
)  # fmt: skip


def plain_input_html(widget: dict) -> str:
    """What ``django/forms/widgets/input.html`` (with ``attrs.html``) renders, in Python."""
    parts = [f'<input type="{conditional_escape(widget["type"])}"']
    parts.append(f' name="{conditional_escape(widget["name"])}"')
    if widget["value"] is not None:
        parts.append(f' value="{conditional_escape(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(f" {conditional_escape(name)}")
        if value is not True:
            parts.append(f'="{conditional_escape(value)}"')
    parts.append(">")
    return "".join(parts)


class SiteFormRenderer(DjangoTemplates):
    """Django's form and widget templates, plus the project's ``templates/`` folders, with
    ``components/field.html`` as the template of ``{{ field.as_field_group }}`` (and so of
    ``{{ form }}``).

    Django's ``TemplatesSetting`` renderer would also find that template, but only with
    ``django.forms`` added to ``INSTALLED_APPS``; this keeps the setting to one line.
    Wagtail's admin renders its fields with its own templates and never reaches this one.
    """

    field_template_name = "components/field.html"

    def render(self, template_name, context, request=None):
        # A plain <input> is written in Python: the same markup as Django's template
        # (mintkit/tests/test_forms_renderer.py compares them), at a fraction of the cost —
        # the storefront editor has ~185 of them. Only while no project template overrides
        # Django's.
        if template_name in PLAIN_INPUT_TEMPLATES and self._django_input_templates:
            return plain_input_html(context["widget"])
        return super().render(template_name, context, request)

    @cached_property
    def _django_input_templates(self) -> bool:
        names = [*PLAIN_INPUT_TEMPLATES, "django/forms/widgets/input.html"]
        names.append("django/forms/widgets/attrs.html")
        return all(
            Path(self.engine.get_template(name).origin.name).is_relative_to(_DJANGO_FORMS_TEMPLATES)
            for name in names
        )

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    _DJANGO_FORMS_TEMPLATES,
                    *settings.TEMPLATES[0]["DIRS"],
                ],
                "NAME": "siteforms",
                "OPTIONS": {},
            }
        )
