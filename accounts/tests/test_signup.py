"""Sign-up, verification, log-in, password reset, rate limits and the allauth pages' layout."""

import re

from django.core import mail

import pytest
from allauth.account.models import EmailAddress

from accounts.models import Profile, User
from tests.factories import DEFAULT_PASSWORD, ProfileFactory
from tests.signup import SIGNUP, SIGNUP_PASSWORD, sign_up

pytestmark = pytest.mark.django_db


def signup(client, email="new@example.com", business="Mint & Co. Hair Studio", **extra):
    return sign_up(client, email, business, **extra)


def test_sign_up_asks_only_for_email_business_name_and_password(client):
    page = client.get(SIGNUP).content.decode()
    form = re.search(r'<form[^>]+action="/accounts/signup/".*?</form>', page, re.S).group(0)
    names = set(re.findall(r'<input[^>]+name="([^"]+)"', form)) - {"csrfmiddlewaretoken"}
    assert names == {"email", "business_name", "password1", "password2"}
    assert "username" not in page.lower()


def test_sign_up_creates_user_and_profile_and_sends_a_confirmation_link(client):
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.profile.business_name == "Mint & Co. Hair Studio"
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/\S+", mail.outbox[0].body)


def test_sign_up_without_a_business_name_creates_nothing(client):
    response = signup(client, business="   ")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_business_name_error">\s*Enter your business name\.', html)
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_user_and_profile_are_created_together_or_not_at_all(client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("profile write failed")

    monkeypatch.setattr("accounts.adapters.profile_create", broken)
    with pytest.raises(RuntimeError):
        signup(client)
    assert not User.objects.filter(email="new@example.com").exists()


def test_confirmation_link_verifies_the_address_and_opens_the_dashboard(client):
    signup(client)
    link = re.search(r"(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200  # a confirm button, no change on GET
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified
    assert client.get(response.url, follow=True).request["PATH_INFO"] == "/dashboard/"


def test_mandatory_verification_keeps_the_dashboard_shut_until_confirmed(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = signup(client)
    assert response.url == "/accounts/confirm-email/"
    dash = client.get("/dashboard/")
    assert dash.status_code == 302 and dash.url.startswith("/accounts/login/")
    # Logging in before confirming only re-sends the confirmation mail.
    login = client.post(
        "/accounts/login/", {"login": "new@example.com", "password": SIGNUP_PASSWORD}
    )
    assert login.url == "/accounts/confirm-email/"
    assert client.get("/dashboard/").status_code == 302
    link = re.search(r"(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)
    client.post(link)
    assert client.get("/dashboard/").status_code == 200


def test_mandatory_verification_also_guards_an_unverified_signed_in_user(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    profile = ProfileFactory()
    client.force_login(profile.user)
    response = client.get("/dashboard/")
    assert "Confirm your e-mail address" in response.content.decode()
    assert profile.business_name not in response.content.decode()


def test_login_and_logout_with_email(client):
    profile = ProfileFactory()
    response = client.post(
        "/accounts/login/", {"login": profile.user.email, "password": DEFAULT_PASSWORD}
    )
    assert response.url == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302


def test_password_reset_mail_leads_to_a_new_password(client):
    profile = ProfileFactory(user__email="forgetful@example.com")
    client.post("/accounts/password/reset/", {"email": "forgetful@example.com"})
    assert len(mail.outbox) == 1
    link = re.search(r"(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # allauth swaps the key for a session-held one
    response = client.post(
        form_url, {"password1": "brand-New-secret-77", "password2": "brand-New-secret-77"}
    )
    assert response.status_code == 302
    profile.user.refresh_from_db()
    assert profile.user.check_password("brand-New-secret-77")


def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    ProfileFactory(user__email="known@example.com")
    known = client.post("/accounts/password/reset/", {"email": "known@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # The stranger's address gets an "unknown account" notice, not a reset link.
    assert "password/reset/key" not in mail.outbox[1].body


def test_signing_up_with_a_taken_address_does_not_reveal_it(client, settings):
    # allauth hides taken addresses when verification is mandatory, as in production.
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    ProfileFactory(user__email="taken@example.com")
    fresh = signup(client, email="fresh@example.com")
    response = signup(client, email="taken@example.com")
    assert response.status_code == 302
    assert response.url == fresh.url == "/accounts/confirm-email/"
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert "already" in mail.outbox[-1].body.lower()  # the owner is told by e-mail


def test_failed_logins_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/ip,3/5m/key"}
    profile = ProfileFactory()
    for _ in range(3):
        client.post("/accounts/login/", {"login": profile.user.email, "password": "wrong"})
    blocked = client.post(
        "/accounts/login/", {"login": profile.user.email, "password": DEFAULT_PASSWORD}
    )
    assert blocked.status_code in (200, 429)
    assert "too many" in blocked.content.decode().lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/key/1-bad-key/",
    ],
)
def test_allauth_pages_use_the_site_layout(client, url):
    response = client.get(url, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-label="Main navigation"' in html  # our nav from base.html
    assert "bootstrap.min.css" in html
    assert 'class="h2 mb-3"' in html  # restyled allauth heading
    assert "<strong>Menu:</strong>" not in html  # allauth's bare fallback layout


@pytest.mark.parametrize(
    "url", ["/accounts/email/", "/accounts/password/change/", "/accounts/logout/"]
)
def test_signed_in_allauth_pages_use_the_site_layout(client, url):
    client.force_login(ProfileFactory().user)
    html = client.get(url).content.decode()
    assert 'aria-label="Main navigation"' in html
    assert 'class="h2 mb-3"' in html
    assert "<strong>Menu:</strong>" not in html


def test_form_errors_sit_beside_their_fields(client):
    html = signup(client, email="not-an-email").content.decode()
    assert 'id="id_email_error"' in html
    assert re.search(
        r'<input[^>]+aria-invalid="true"[^>]+name="email"|name="email"[^>]+'
        r'aria-invalid="true"',
        html,
    )
