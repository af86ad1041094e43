"""No account enumeration (issue 10, point 5): in dev exactly as in production.

Sign-up, log-in, password reset and e-mail change each answer an address that has an account
exactly as they answer one that has none. Each test runs with the auth settings of the real
``mintkit.settings.dev`` and ``mintkit.settings.production`` modules (the test settings relax
verification for speed), and tries the taken address in several spellings.
"""

import importlib
import re
import sys

from django.core import mail
from django.test import Client

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from tests.factories import ProfileFactory
from tests.production_env import PRODUCTION_ENV
from tests.signup import sign_up

pytestmark = pytest.mark.django_db

AUTH_SETTINGS = [
    "ACCOUNT_EMAIL_VERIFICATION",
    "ACCOUNT_PREVENT_ENUMERATION",
    "ACCOUNT_UNIQUE_EMAIL",
    "ACCOUNT_CHANGE_EMAIL",
    "ACCOUNT_LOGIN_METHODS",
    "ACCOUNT_SIGNUP_FIELDS",
    "ACCOUNT_ADAPTER",
    "ACCOUNT_FORMS",
    "AUTHENTICATION_BACKENDS",
]
TAKEN = "taken@example.com"
TAKEN_SPELLINGS = [TAKEN, "TAKEN@EXAMPLE.COM", "Taken@Example.com", f"  {TAKEN}  "]


def _module_settings(name: str, monkeypatch) -> dict:
    if name == "production":
        for key, value in PRODUCTION_ENV.items():
            monkeypatch.setenv(key, value)
    monkeypatch.delenv("ACCOUNT_EMAIL_VERIFICATION", raising=False)
    full = f"mintkit.settings.{name}"
    sys.modules.pop(full, None)
    module = importlib.import_module(full)
    sys.modules.pop(full, None)
    return {key: getattr(module, key) for key in AUTH_SETTINGS}


@pytest.fixture(params=["dev", "production"])
def env_settings(request, settings, monkeypatch):
    for key, value in _module_settings(request.param, monkeypatch).items():
        setattr(settings, key, value)
    return request.param


@pytest.fixture
def taken(db):
    user = ProfileFactory(user__email=TAKEN).user
    EmailAddress.objects.create(user=user, email=TAKEN, verified=True, primary=True)
    return user


def _text(response, address: str = "") -> str:
    """What a person sees: the page without its per-request CSRF token, the address typed
    replaced by a placeholder."""
    html = response.content.decode()
    if address:
        html = re.sub(re.escape(address.strip()), "ADDRESS", html, flags=re.I)
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)  # the CSP nonce is new on every response
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _signup(client, email):
    return sign_up(client, email, "Somebody Else Ltd")


def test_dev_and_production_verify_addresses_and_prevent_enumeration(env_settings):
    from django.conf import settings

    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"
    assert settings.ACCOUNT_PREVENT_ENUMERATION is True


@pytest.mark.parametrize("spelling", TAKEN_SPELLINGS)
def test_sign_up_with_a_taken_address_looks_like_any_sign_up(client, env_settings, taken, spelling):
    fresh = _signup(client, "fresh@example.com")
    other = Client()
    again = _signup(other, spelling)
    assert again.status_code == fresh.status_code == 302
    assert again["Location"] == fresh["Location"] == "/accounts/confirm-email/"
    page = _text(other.get(again["Location"]), spelling)
    assert page == _text(client.get(fresh["Location"]), "fresh@example.com")
    assert "already" not in page.lower()
    assert User.objects.filter(email__iexact=TAKEN).count() == 1
    # The owner of the address learns of it by e-mail, nobody else does.
    assert mail.outbox[-1].to == [TAKEN]


@pytest.mark.parametrize("spelling", TAKEN_SPELLINGS)
def test_log_in_errors_are_the_same_for_known_and_unknown_addresses(
    client, env_settings, taken, spelling
):
    known = client.post("/accounts/login/", {"login": spelling, "password": "wrong-password"})
    unknown = client.post(
        "/accounts/login/", {"login": "nobody@example.com", "password": "wrong-password"}
    )
    assert known.status_code == unknown.status_code == 200

    def errors(response):
        return re.findall(
            r'class="[^"]*(?:alert|invalid-feedback|errorlist)[^"]*"[^>]*>(.*?)<',
            response.content.decode(),
            re.S,
        )

    assert errors(known) == errors(unknown) != []
    assert "not" not in " ".join(errors(known)).lower().replace("not correct", "")


@pytest.mark.parametrize("spelling", TAKEN_SPELLINGS)
def test_password_reset_answers_alike_for_known_and_unknown_addresses(
    client, env_settings, taken, spelling
):
    known = client.post("/accounts/password/reset/", {"email": spelling})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _text(client.get(known["Location"])) == _text(client.get(unknown["Location"]))


@pytest.mark.parametrize("spelling", TAKEN_SPELLINGS)
def test_changing_email_to_a_taken_address_looks_like_any_change(
    client, env_settings, taken, spelling
):
    owner = ProfileFactory(user__email="owner@example.com").user
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    client.force_login(owner)

    def change(address):
        response = client.post("/accounts/email/", {"email": address, "action_add": ""})
        return response, _text(client.get("/accounts/email/"), address)

    to_fresh, fresh_page = change("fresh@example.com")
    # Undo the pending change so both attempts start from the same state.
    EmailAddress.objects.filter(user=owner, verified=False).delete()
    to_taken, taken_page = change(spelling)
    assert to_taken.status_code == to_fresh.status_code
    assert to_taken.get("Location") == to_fresh.get("Location")
    assert "already" not in taken_page.lower()
    assert "already" not in _text(to_taken).lower()
    # The taken address waits, unverified, like any; it never becomes this account's, not even
    # when the link mailed to that address is followed.
    to_taken_mail = [m for m in mail.outbox if m.to == [TAKEN]]
    assert to_taken_mail
    link = re.search(r"(/accounts/confirm-email/\S+)", to_taken_mail[-1].body)
    assert client.post(link.group(1)).status_code in (200, 302)
    assert not EmailAddress.objects.filter(user=owner, email__iexact=TAKEN, verified=True).exists()
    owner.refresh_from_db()
    taken.refresh_from_db()
    assert (owner.email, taken.email) == ("owner@example.com", TAKEN)
