"""The account pages speak the hub's one voice: British English, "e-mail", "log in/out",
not django-allauth's "Email", "Sign Out" or "…is an email address for user …"."""

import re

from django.test import Client

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC

from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

ALLAUTH_VOICE = re.compile(
    r"\bemails?\b|Email|Sign Out|sign out|Forgot your|Remember Me|for user |Reset My",
)


def visible_text(response) -> str:
    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/key/1-x/",
    ],
)
def test_signed_out_account_pages_use_the_hub_voice(client, site_home, path):
    text = visible_text(client.get(path))
    assert not ALLAUTH_VOICE.search(text), text


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
    ],
)
def test_owner_account_pages_use_the_hub_voice(site_home, path):
    client = Client()
    client.force_login(ProfileFactory().user)
    text = visible_text(client.get(path))
    assert not ALLAUTH_VOICE.search(text), text


def test_confirming_an_address_does_not_call_the_owner_a_user(site_home):
    profile = ProfileFactory(user__email="owner1@example.com")
    address = EmailAddress.objects.create(user=profile.user, email="owner1@example.com")
    key = EmailConfirmationHMAC(address).key
    text = visible_text(Client().get(f"/accounts/confirm-email/{key}/"))
    assert "Please confirm that owner1@example.com is your e-mail address for MintKit Hub." in text
    assert not ALLAUTH_VOICE.search(text), text


def test_log_in_form_labels_say_e_mail(client, site_home):
    html = client.get("/accounts/login/").content.decode()
    assert "E-mail" in html and ">Email<" not in html
    assert "Forgot your password?" not in html and "Remember me" in html
