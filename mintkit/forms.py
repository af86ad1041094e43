"""The site's form renderer: every field renders through ``templates/components/field.html``."""

from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


class SiteFormRenderer(DjangoTemplates):
    """Django's form and widget templates, plus the project's ``templates/`` folders, with
    ``components/field.html`` as the template of ``{{ field.as_field_group }}`` (and so of
    ``{{ form }}``).

    Django's ``TemplatesSetting`` renderer would also find that template, but only with
    ``django.forms`` added to ``INSTALLED_APPS``; this keeps the setting to one line.
    Wagtail's admin renders its fields with its own templates and never reaches this one.
    """

    field_template_name = "components/field.html"

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(django.forms.__file__).parent / "templates",
                    *settings.TEMPLATES[0]["DIRS"],
                ],
                "NAME": "siteforms",
                "OPTIONS": {},
            }
        )
