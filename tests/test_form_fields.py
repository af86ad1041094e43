"""One contract for every form field on the site (templates/components/field.html).

Whatever the form (business profile, storefront editor and its offer / hours / special-date
rows, sign-up, log-in, "E-mail me about…"), each visible field:

- has a ``<label for="<id>">`` (or, for a group of radios/tick boxes, a ``<legend>``);
- carries Bootstrap's class for its kind (``form-control``, ``form-select``,
  ``form-check-input``);
- names its help text ``<id>_helptext`` and lists it in ``aria-describedby``;
- on an error: ``aria-invalid="true"`` and ``is-invalid`` on the widget, the message in
  ``<div class="invalid-feedback" id="<id>_error">`` and that id in ``aria-describedby``.
"""

import re

from django import forms
from django.template import Context, Template

import pytest
from bs4 import BeautifulSoup

from storefronts.tests.editor_data import editor_data
from storefronts.tests.factories import (
    OfferFactory,
    OpeningHoursFactory,
    SpecialDateFactory,
    StorefrontFactory,
)
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

BOOTSTRAP_CLASSES = {"form-control", "form-select", "form-check-input"}
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


def site_fields(form):
    """The fields a person fills in: not hidden inputs, buttons or the search box."""
    return [
        tag
        for tag in form.find_all(["input", "select", "textarea"])
        if tag.get("type", "text") not in NOT_FIELDS
    ]


def assert_field_contract(html: str, form_selector: str) -> dict[str, list[str]]:
    """Check every field of the form(s) matching ``form_selector``; return errors by id."""
    soup = BeautifulSoup(html, "html.parser")
    forms_found = soup.select(form_selector)
    assert forms_found, f"no form matches {form_selector!r}"
    errors = {}
    for form in forms_found:
        fields = site_fields(form)
        assert fields, f"{form_selector!r} has no fields"
        contract_ids = set()
        for tag in fields:
            field_id = tag.get("id")
            assert field_id, f"a field without an id: {tag}"
            where = f"{form_selector} #{field_id}"
            assert form.find("label", attrs={"for": field_id}), f'{where}: no <label for="">'
            # A radio or tick-box option of a group (Django: <div id="<id>"> around the
            # options "<id>_0", "<id>_1"…): the group is a fieldset with a legend and the
            # contract's ids are the group's.
            option_of = re.fullmatch(r"(.+)_\d+", field_id)
            group = soup.find("div", id=option_of.group(1)) if option_of else None
            if group is not None and tag.get("type") in ("radio", "checkbox"):
                field_id = group["id"]
                described_owner = group.find_parent("fieldset")
                assert described_owner and described_owner.legend, f"{where}: no legend"
            else:
                described_owner = tag
            contract_ids.add(field_id)
            classes = set(tag.get("class", []))
            assert classes & BOOTSTRAP_CLASSES, f"{where}: no Bootstrap class ({classes})"

            described_by = (described_owner.get("aria-describedby") or "").split()
            for ref in described_by:
                assert soup.find(id=ref), f"{where}: aria-describedby names a missing #{ref}"
            if soup.find(id=f"{field_id}_helptext"):
                assert f"{field_id}_helptext" in described_by, f"{where}: help not described"

            error = soup.find(id=f"{field_id}_error")
            if tag.get("aria-invalid") == "true":
                assert error is not None, f'{where}: aria-invalid but no "{field_id}_error"'
                assert "is-invalid" in classes, f"{where}: aria-invalid without is-invalid"
                assert f"{field_id}_error" in described_by, f"{where}: error not described"
                assert "invalid-feedback" in error.get("class", [])
                errors[field_id] = error.get_text(" ", strip=True)
            else:
                assert error is None, f"{where}: an error shown but aria-invalid not set"
                assert "is-invalid" not in classes, f"{where}: is-invalid without an error"

        # One error-id convention: every message beside a field is "<field id>_error".
        for feedback in form.select(".invalid-feedback"):
            match = re.fullmatch(r"(.+)_error", feedback.get("id", ""))
            assert match, f"{form_selector}: an error without the _error id: {feedback}"
            assert match.group(1) in contract_ids, f"{feedback['id']} belongs to no field"
    return errors


@pytest.fixture
def owner(client):
    profile = ProfileFactory(business_name="Mint & Co")
    client.force_login(profile.user)
    return profile


def test_profile_fields_keep_the_contract(client, owner):
    assert_field_contract(client.get("/dashboard/profile/").text, 'form[enctype^="multipart"]')
    response = client.post(
        "/dashboard/profile/", {"business_name": " ", "contact_email": "nope", "phone": "123"}
    )
    errors = assert_field_contract(response.text, 'form[enctype^="multipart"]')
    assert set(errors) == {"id_business_name", "id_contact_email", "id_phone"}
    assert "valid phone number" in errors["id_phone"]


def test_email_preferences_keep_the_contract(client, owner):
    html = client.get("/dashboard/profile/").text
    assert_field_contract(html, "form#email-preferences")
    assert 'aria-describedby="id_product_tips_helptext"' in html


def test_storefront_editor_and_its_rows_keep_the_contract(client, owner):
    storefront = StorefrontFactory(profile=owner, slug="mint-co")
    OfferFactory(storefront=storefront)
    OpeningHoursFactory(storefront=storefront, weekday=0)
    SpecialDateFactory(storefront=storefront)
    assert_field_contract(client.get("/dashboard/storefront/").text, "form#storefront-form")


def test_storefront_editor_errors_keep_the_contract(client, owner):
    data = editor_data(
        name="",
        slug="Not a slug!",
        brand_colour="#ffff00",
        phone="12",
        **{
            "offers-0-url": "ftp://example.com/gift",
            "hours-0-closes": "08:00",
            "special-0-date": "2030-12-25",
            "special-0-closed": "",
            "special-0-opens": "10:00",
        },
    )
    response = client.post("/dashboard/storefront/", data)
    assert response.status_code == 400
    errors = assert_field_contract(response.text, "form#storefront-form")
    assert {
        "id_name",
        "id_slug",
        "id_brand_colour",
        "id_phone",
        "id_offers-0-url",
        "id_hours-0-closes",
        "id_special-0-opens",
    } <= set(errors)


def test_sign_up_and_log_in_keep_the_contract(client):
    assert_field_contract(client.get("/accounts/signup/").text, 'form[action="/accounts/signup/"]')
    response = client.post(
        "/accounts/signup/",
        {"email": "bad", "business_name": " ", "password1": "a", "password2": "b"},
    )
    errors = assert_field_contract(response.text, 'form[action="/accounts/signup/"]')
    assert {"id_email", "id_business_name", "id_password1"} <= set(errors)

    assert_field_contract(client.get("/accounts/login/").text, 'form[action="/accounts/login/"]')
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    errors = assert_field_contract(response.text, 'form[action="/accounts/login/"]')
    assert set(errors) == {"id_login", "id_password"}


class ChoicesForm(forms.Form):
    plan = forms.ChoiceField(
        choices=[("a", "Starter"), ("b", "Pro")],
        widget=forms.RadioSelect,
        help_text="You can change it later.",
    )


def test_a_group_of_radios_is_a_fieldset_with_a_legend():
    form = ChoicesForm(data={})
    html = Template("<form>{{ form.plan.as_field_group }}</form>").render(Context({"form": form}))
    errors = assert_field_contract(html, "form")
    assert set(errors) == {"id_plan"}
    group = BeautifulSoup(html, "html.parser").find("fieldset")
    assert group.legend.get_text(strip=True) == "Plan"
    assert group["aria-describedby"] == "id_plan_helptext id_plan_error"
