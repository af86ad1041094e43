"""The owner dashboard, the profile form and account deletion."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage

from accounts.models import Profile, User
from accounts.phones import phone_normalise
from tests.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(client):
    profile = ProfileFactory(business_name="Mint & Co. Hair Studio")
    client.force_login(profile.user)
    return profile


def png(size=(60, 60), name="logo.png"):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (10, 150, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- the dashboard -------------------------------------------------------------------------


def test_logged_out_visitors_are_sent_to_log_in_and_back(client):
    ProfileFactory(user__email="back@example.com")
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/dashboard/"
    after = client.post(response.url, {"login": "back@example.com", "password": DEFAULT_PASSWORD})
    assert after.url == "/dashboard/"


def test_dashboard_shows_welcome_profile_storefront_access_and_quick_links(client, owner):
    html = client.get("/dashboard/").content.decode()
    assert "Welcome, Mint &amp; Co. Hair Studio" in html
    assert 'href="/dashboard/profile/"' in html
    assert "Storefront" in html  # the storefront panel
    assert "Free trial" in html  # the access panel, from the entitlement function
    for label, href in [
        ("Edit storefront", "/dashboard/storefront/"),
        ("Choose a plan", "/pricing/"),
        ("MintKit Studio", "/studio/"),
    ]:
        assert re.search(rf'href="{href}"[^>]*>{label}<', html)
    assert "Manage billing" not in html  # nothing to manage on a trial


def test_a_subscriber_manages_the_subscription_in_the_portal(client, owner):
    from billing.tests.factories import StripeCustomerFactory, SubscriptionFactory

    StripeCustomerFactory(profile=owner)
    SubscriptionFactory(profile=owner)
    html = client.get("/dashboard/").content.decode()
    quick_links = html.split('id="quick-links-heading"')[1]
    assert re.search(
        r'<form method="post" action="/billing/portal/">.*?>Manage billing<',
        quick_links,
        re.S,
    )
    assert "Choose a plan" not in quick_links


def test_dashboard_query_count_stays_small(client, owner, django_assert_max_num_queries):
    # Session, user, profile+logo, storefront panel, access panel (with one look at the
    # address ledger: has this address had its free month?), Studio sales (30 days); the rest
    # is the shared layout
    # (site, nav pages, site settings).
    with django_assert_max_num_queries(17):
        assert client.get("/dashboard/").status_code == 200


def test_a_user_without_a_profile_is_asked_to_create_one(client):
    admin = User.objects.create_superuser(email="root@example.com", password="x")
    client.force_login(admin)
    response = client.get("/dashboard/")
    assert "Create your business profile" in response.content.decode()
    response = client.post("/dashboard/", {"business_name": "Root Beer Ltd"})
    assert response.url == "/dashboard/"
    assert Profile.objects.get(user=admin).business_name == "Root Beer Ltd"
    assert "Welcome, Root Beer Ltd" in client.get("/dashboard/").content.decode()


# --- the profile form ----------------------------------------------------------------------


def test_profile_edit_saves_and_normalises_the_phone(client, owner):
    response = client.post(
        "/dashboard/profile/",
        {
            "business_name": "Mint & Co.",
            "contact_email": "hi@mint.example",
            "phone": "020 7946 0123",
        },
    )
    assert response.url == "/dashboard/"
    owner.refresh_from_db()
    assert (owner.business_name, owner.contact_email, owner.phone) == (
        "Mint & Co.",
        "hi@mint.example",
        "+442079460123",
    )
    html = client.get("/dashboard/").content.decode()
    assert "Your business profile is saved." in html
    assert "020 7946 0123" in html


def test_an_invalid_profile_saves_nothing_and_shows_errors_beside_fields(client, owner):
    response = client.post(
        "/dashboard/profile/",
        {"business_name": "Changed", "contact_email": "nope", "phone": "12345"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_phone_error">[^<]*valid phone number', html)
    assert re.search(r'id="id_contact_email_error">[^<]*valid email', html, re.I)
    assert 'value="12345"' in html  # what they typed stays in the box
    owner.refresh_from_db()
    assert owner.business_name == "Mint &amp; Co. Hair Studio".replace("&amp;", "&")
    assert owner.phone == ""


def test_a_logo_upload_is_stored_as_a_wagtail_image_and_shown_as_a_rendition(client, owner):
    client.post(
        "/dashboard/profile/",
        {"business_name": owner.business_name, "logo_upload": png()},
    )
    owner.refresh_from_db()
    assert owner.logo.collection.name == "Owner uploads"
    html = client.get("/dashboard/").content.decode()
    assert "/images/" in html and ".webp" in html  # a rendition, not original_images/
    assert "original_images" not in html


def test_a_gif_logo_is_refused_beside_the_field(client, owner):
    buffer = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(buffer, format="GIF")
    gif = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    html = client.post(
        "/dashboard/profile/", {"business_name": "X", "logo_upload": gif}
    ).content.decode()
    assert re.search(r'id="id_logo_upload_error">\s*Upload a JPEG, PNG or WebP image\.', html)
    owner.refresh_from_db()
    assert owner.logo is None and owner.business_name == "Mint & Co. Hair Studio"


def test_replacing_and_removing_the_logo_deletes_the_old_image(client, owner):
    client.post("/dashboard/profile/", {"business_name": "A", "logo_upload": png()})
    owner.refresh_from_db()
    first = owner.logo_id
    client.post("/dashboard/profile/", {"business_name": "A", "logo_upload": png(name="b.png")})
    owner.refresh_from_db()
    assert owner.logo_id != first
    assert not get_image_model().objects.filter(pk=first).exists()
    client.post("/dashboard/profile/", {"business_name": "A", "remove_logo": "on"})
    owner.refresh_from_db()
    assert owner.logo is None
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("07911 123456", "+447911123456"), ("+33 1 42 68 53 00", "+33142685300"), ("", "")],
)
def test_phone_numbers_are_normalised(typed, stored):
    assert phone_normalise(typed) == stored


# --- deleting the account ------------------------------------------------------------------


def test_delete_needs_the_password(client, owner):
    assert "Delete your account" in client.get("/dashboard/account/delete/").content.decode()
    response = client.post("/dashboard/account/delete/", {"password": "wrong"})
    html = response.content.decode()
    assert re.search(r'id="id_password_error">[^<]*isn(&#x27;|\')t your password', html)
    assert User.objects.filter(pk=owner.user_id).exists()


def test_delete_removes_user_profile_and_logo_and_logs_out(client, owner):
    client.post("/dashboard/profile/", {"business_name": "A", "logo_upload": png()})
    response = client.post("/dashboard/account/delete/", {"password": DEFAULT_PASSWORD})
    assert response.url == "/"
    assert not User.objects.filter(pk=owner.user_id).exists()
    assert not Profile.objects.filter(pk=owner.pk).exists()
    assert not get_image_model().objects.exists()
    assert client.get("/dashboard/").status_code == 302  # logged out


def test_deleting_one_account_leaves_others_alone(client, owner):
    other = ProfileFactory()
    client.post("/dashboard/account/delete/", {"password": DEFAULT_PASSWORD})
    assert Profile.objects.filter(pk=other.pk).exists()


def test_delete_page_needs_login(client):
    UserFactory()
    assert client.get("/dashboard/account/delete/").status_code == 302


def test_delete_takes_the_storefront_offline_and_removes_its_images(client, owner):
    from accounts.images import owner_image_save
    from storefronts.models import Storefront
    from storefronts.tests.factories import OfferFactory, StorefrontFactory

    def stored(name):
        form_file = png(name=name)
        from accounts.tests.test_images import _validated

        return owner_image_save(upload=_validated(form_file), title=name)

    storefront = StorefrontFactory(
        profile=owner, slug="mint-and-co", logo=stored("l.png"), cover=stored("c.png")
    )
    OfferFactory(storefront=storefront)
    other = StorefrontFactory(slug="someone-else", logo=stored("o.png"))
    assert client.get("/storefront/mint-and-co/").status_code == 200

    client.post("/dashboard/account/delete/", {"password": DEFAULT_PASSWORD})

    assert client.get("/storefront/mint-and-co/").status_code == 404
    assert not Storefront.objects.filter(pk=storefront.pk).exists()
    assert list(get_image_model().objects.values_list("pk", flat=True)) == [other.logo_id]
    assert client.get("/storefront/someone-else/").status_code == 200


def test_nothing_is_deleted_when_subscriptions_cannot_be_cancelled(client, owner, monkeypatch):
    from billing.services import BillingUnavailable

    def stripe_down(*, profile):
        raise BillingUnavailable("Stripe is unreachable")

    monkeypatch.setattr("billing.receivers.profile_subscriptions_cancel", stripe_down)
    response = client.post(
        "/dashboard/account/delete/", {"password": DEFAULT_PASSWORD}, follow=True
    )
    assert "nothing was deleted" in response.content.decode()
    assert Profile.objects.filter(pk=owner.pk).exists()
    assert client.get("/dashboard/").status_code == 200  # still logged in
