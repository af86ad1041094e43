"""One source for a storefront's contact e-mail, phone and logo: the business profile's,
unless the owner overrides them in the storefront editor."""

import importlib
import io
import json
import re

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from accounts.images import owner_image_save
from storefronts.contact_source import storefront_contact, storefronts_inheriting_from
from storefronts.tests.factories import StorefrontFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "storefronts.migrations.0003_storefront_contact_inherits_profile"
)


def an_image(title="logo"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "green").save(buffer, "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    return owner_image_save(upload=upload, title=title)


def json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_blank_storefront_fields_use_the_profiles_details():
    logo = an_image()
    profile = ProfileFactory(contact_email="hi@profile.example", phone="+442079460958", logo=logo)
    storefront = StorefrontFactory(profile=profile, contact_email="", phone="", logo=None)
    contact = storefront_contact(storefront=storefront)
    assert (contact.email, contact.phone, contact.logo) == (
        "hi@profile.example",
        "+442079460958",
        logo,
    )
    assert contact.email_inherited and contact.phone_inherited and contact.logo_inherited
    assert contact.phone_display == "020 7946 0958"


def test_the_storefronts_own_details_override_the_profiles():
    profile = ProfileFactory(contact_email="hi@profile.example", phone="+442079460958")
    own_logo = an_image("own")
    storefront = StorefrontFactory(
        profile=profile, contact_email="shop@own.example", phone="+447700900123", logo=own_logo
    )
    contact = storefront_contact(storefront=storefront)
    assert (contact.email, contact.phone, contact.logo) == (
        "shop@own.example",
        "+447700900123",
        own_logo,
    )
    assert not (contact.email_inherited or contact.phone_inherited or contact.logo_inherited)


def test_the_log_in_address_is_never_shown_to_customers():
    profile = ProfileFactory(contact_email="")
    storefront = StorefrontFactory(profile=profile, contact_email="", phone="")
    assert storefront_contact(storefront=storefront).email == ""


def test_the_public_page_and_its_json_ld_show_the_profiles_details(client):
    profile = ProfileFactory(contact_email="hi@profile.example", phone="+442079460958")
    storefront = StorefrontFactory(profile=profile, contact_email="", phone="")
    html = client.get(storefront.get_absolute_url()).text
    assert 'href="tel:+442079460958"' in html
    assert 'href="mailto:hi@profile.example"' in html
    data = json_ld(html)
    assert (data["telephone"], data["email"]) == ("+442079460958", "hi@profile.example")


def test_an_override_is_what_the_public_page_shows(client):
    profile = ProfileFactory(contact_email="hi@profile.example", phone="+442079460958")
    storefront = StorefrontFactory(profile=profile, contact_email="shop@own.example", phone="")
    html = client.get(storefront.get_absolute_url()).text
    assert "mailto:shop@own.example" in html
    assert "hi@profile.example" not in html
    assert json_ld(html)["email"] == "shop@own.example"


def test_which_storefronts_change_with_the_profile():
    profile = ProfileFactory(contact_email="hi@profile.example")
    inheriting = StorefrontFactory(profile=profile, contact_email="", phone="+447700900123")
    assert storefronts_inheriting_from(profile=profile) == [inheriting]
    inheriting.contact_email, inheriting.logo = "own@own.example", an_image()
    inheriting.save()
    assert storefronts_inheriting_from(profile=profile) == []


def test_the_migration_blanks_copies_of_the_profile_and_keeps_real_overrides():
    logo = an_image()
    profile = ProfileFactory(contact_email="Hi@Profile.example", phone="+442079460958", logo=logo)
    copy = StorefrontFactory(
        profile=profile, contact_email="hi@profile.example", phone="+442079460958", logo=logo
    )
    other = ProfileFactory(contact_email="a@a.example", phone="+442079460958")
    own = StorefrontFactory(profile=other, contact_email="shop@own.example", phone="+447700900123")
    migration.blank_copies_of_profile(apps, None)
    copy.refresh_from_db()
    own.refresh_from_db()
    assert (copy.contact_email, copy.phone, copy.logo_id) == ("", "", None)
    assert (own.contact_email, own.phone) == ("shop@own.example", "+447700900123")
    # And back: blanks are filled from the profile again.
    migration.fill_blanks_from_profile(apps, None)
    copy.refresh_from_db()
    assert (copy.contact_email, copy.phone, copy.logo_id) == (
        "Hi@Profile.example",
        "+442079460958",
        logo.pk,
    )


def test_the_profiles_logo_is_the_pages_logo_and_json_ld_logo(client):
    profile = ProfileFactory(logo=an_image())
    storefront = StorefrontFactory(profile=profile, logo=None, cover=None)
    html = client.get(storefront.get_absolute_url()).text
    assert 'class="storefront-logo"' in html
    data = json_ld(html)
    assert data["logo"].endswith(".png") and "/media/images/logo" in data["image"]
