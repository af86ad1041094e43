"""The site's form renderer writes plain <input>s in Python (mintkit/forms.py): the markup
must be exactly what Django's templates write, for every input type and awkward value."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

import pytest

from mintkit.forms import PLAIN_INPUT_TEMPLATES, SiteFormRenderer

WIDGETS = [
    forms.TextInput(),
    forms.TextInput(attrs={"class": "form-control", "maxlength": 40, "required": True}),
    forms.TextInput(attrs={"disabled": False, "placeholder": 'Say "hi" <b>&</b>'}),
    forms.EmailInput(attrs={"autocomplete": "email"}),
    forms.URLInput(),
    forms.NumberInput(attrs={"step": Decimal("0.01"), "min": 0}),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.DateInput(attrs={"type": "date"}),
    forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    forms.DateTimeInput(),
    forms.CheckboxInput(),
    forms.CheckboxInput(attrs={"class": "form-check-input", "aria-describedby": "x_help"}),
]
VALUES = [
    None,
    "",
    "Mint & Co",
    '"><script>alert(1)</script>',
    mark_safe("<b>safe</b>"),  # noqa: S308 - what a caller marked safe stays as it is
    0,
    12.5,
    Decimal("9.90"),
    dt.date(2026, 11, 26),
    dt.time(9, 30),
    dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC),
    True,
    False,
    "naïve café ☕",
]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_a_plain_input_renders_exactly_as_djangos_template(widget, value):
    assert widget.template_name in PLAIN_INPUT_TEMPLATES
    attrs = {"id": "id_field", "aria-invalid": "true"}
    ours = widget.render("field-name", value, attrs=attrs, renderer=SiteFormRenderer())
    djangos = widget.render("field-name", value, attrs=attrs, renderer=DjangoTemplates())
    assert ours == djangos


def test_other_widgets_still_render_through_their_templates():
    select = forms.Select(choices=[("a", "A & B")])
    assert select.render("s", "a", renderer=SiteFormRenderer()) == select.render(
        "s", "a", renderer=DjangoTemplates()
    )


def test_a_project_override_of_djangos_input_template_turns_the_shortcut_off(tmp_path):
    widgets = tmp_path / "django" / "forms" / "widgets"
    widgets.mkdir(parents=True)
    (widgets / "input.html").write_text('<input data-ours name="{{ widget.name }}">')
    renderer = SiteFormRenderer()
    engine_dirs = renderer.engine.engine.dirs
    # Django's own templates come first in the renderer; put the override before them.
    engine_dirs.insert(0, str(tmp_path))
    assert "data-ours" in forms.TextInput().render("n", "v", renderer=renderer)
