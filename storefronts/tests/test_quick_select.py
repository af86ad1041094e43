"""QuickSelect (storefronts/editor_base.py) writes the same <select> as Django, only faster."""

import re

from django import forms

import pytest

from storefronts.forms import TIME_ZONE_CHOICES, QuickSelect


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("value", ["Europe/London", "", None, "Not/AZone"])
def test_markup_matches_djangos_select(value):
    attrs = {"id": "id_time_zone", "class": "form-select", "required": True, "aria-invalid": "true"}
    ours = QuickSelect(choices=TIME_ZONE_CHOICES).render("time_zone", value, attrs)
    django = forms.Select(choices=TIME_ZONE_CHOICES).render("time_zone", value, attrs)
    assert normalised(ours) == normalised(django)
    assert ours.count(" selected") == (value == "Europe/London")


def test_labels_and_values_are_escaped_and_groups_fall_back():
    choices = [('"><script>', "<b>bold</b>"), ("b", "B & co")]
    html = QuickSelect(choices=choices).render("x", '"><script>')
    assert "<script>" not in html and "<b>" not in html
    assert normalised(html) == normalised(forms.Select(choices=choices).render("x", '"><script>'))
    grouped = [("Group", [("a", "A")])]
    assert "<optgroup" in QuickSelect(choices=grouped).render("x", "a")
