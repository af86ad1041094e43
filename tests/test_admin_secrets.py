"""Staff never see an owner's password, password hash or any secret anywhere in the admin
(Wagtail admin with its user editor and MintKit menu, and the Django admin)."""

import re

from django.contrib import admin
from django.urls import reverse

import pytest

from billing.tests.factories import (
    MintKitAccessFactory,
    StripeEventFactory,
    SubscriptionFactory,
)
from storefronts.tests.factories import StorefrontFactory
from tests.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

OWNER_PASSWORD = "Owner-secret-pass-987"


@pytest.fixture
def owner():
    profile = ProfileFactory(user__email="owner.x@example.com")
    profile.user.set_password(OWNER_PASSWORD)
    profile.user.save()
    StorefrontFactory(profile=profile)
    SubscriptionFactory(profile=profile)
    MintKitAccessFactory(profile=profile)
    StripeEventFactory(
        stripe_id="evt_admin_1", payload={"id": "evt_admin_1"}, stripe_created="2026-11-01T00:00Z"
    )
    return profile


def _admin_pages(owner):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=owner.user, email=owner.user.email)
    user = owner.user
    pages = ["/admin/", "/admin/users/", reverse("wagtailusers_users:edit", args=[user.pk])]
    for model in (
        "accounts_profile",
        "billing_subscription",
        "billing_stripeevent",
        "billing_mintkitaccess",
        "storefronts_storefront",
    ):
        pages.append(reverse(f"{model}_modeladmin_index"))
    pages.append(reverse("accounts_profile_modeladmin_inspect", args=[owner.pk]))
    pages.append(
        reverse("billing_subscription_modeladmin_inspect", args=[owner.subscriptions.get().pk])
    )
    pages.append(
        reverse("billing_mintkitaccess_modeladmin_inspect", args=[owner.mintkit_access.pk])
    )
    for model in admin.site._registry:
        meta = model._meta
        pages.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    pages.append(reverse("admin:accounts_user_change", args=[user.pk]))
    pages.append(reverse("admin:accounts_profile_change", args=[owner.pk]))
    address = EmailAddress.objects.get(user=user)
    pages.append(reverse("admin:account_emailaddress_change", args=[address.pk]))
    return pages


SIGNED_TOKEN = re.compile(r"eyJ[A-Za-z0-9_-]{8,}[.:]")


def test_no_admin_page_shows_a_password_hash_or_secret(client, owner, settings):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    password_hash = owner.user.password
    algorithm, *_parts, digest = password_hash.split("$")
    secrets = {
        "password": OWNER_PASSWORD,
        "password hash": password_hash,
        "hash digest": digest,
        "api key": settings.MINTKIT_API_KEY,
        "shared secret": settings.MINTKIT_SHARED_SECRET,
        "Stripe secret key": settings.STRIPE_SECRET_KEY,
        "webhook secret": settings.STRIPE_WEBHOOK_SECRET,
    }
    pages = _admin_pages(owner)
    seen_owner = 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        seen_owner += owner.user.email in html or owner.business_name in html
        for name, secret in secrets.items():
            assert secret not in html, f"{name} shown on {url}"
        # A signed token (JWT "eyJ….…", Django signing "eyJ…:…"): base64 JSON followed by its
        # separator. Three bare letters also turn up inside random CSRF tokens and CSP nonces
        # (about one run in a hundred), which contain neither "." nor ":".
        assert not SIGNED_TOKEN.search(html), f"a token on {url}"
    assert seen_owner >= 5  # the crawl really looked at the owner's pages


def test_the_user_editors_password_fields_are_empty(client, owner):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(reverse("wagtailusers_users:edit", args=[owner.user.pk])).content.decode()
    assert 'name="password1"' in html  # staff may set a new password, never read the old one
    assert 'value="' + OWNER_PASSWORD not in html
