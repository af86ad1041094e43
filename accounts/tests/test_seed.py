"""The demo business seeder."""

import io

import pytest
from allauth.account.models import EmailAddress

from accounts import seed
from accounts.models import Profile, User

pytestmark = pytest.mark.django_db


def test_seed_creates_a_verified_demo_owner_and_prints_a_working_log_in(client):
    out = io.StringIO()
    seed.run(stdout=out)
    printed = out.getvalue()
    password = printed.split("with password ")[1].split()[0]
    user = User.objects.get(email="demo@mintkit.test")
    assert EmailAddress.objects.get(user=user).verified
    assert user.profile.business_name == "Mint & Co. Hair Studio"
    assert "createsuperuser" in printed
    response = client.post("/accounts/login/", {"login": "demo@mintkit.test", "password": password})
    assert response.url == "/dashboard/"


def test_seed_is_idempotent_and_keeps_edits():
    seed.run(stdout=io.StringIO())
    Profile.objects.update(business_name="Renamed by the owner")
    seed.run(stdout=io.StringIO())
    assert User.objects.filter(email="demo@mintkit.test").count() == 1
    assert EmailAddress.objects.count() == 1
    assert Profile.objects.get().business_name == "Renamed by the owner"


def test_dev_uses_the_documented_password(settings):
    settings.DEBUG = True
    out = io.StringIO()
    seed.run(stdout=out)
    assert f"with password {seed.DEV_PASSWORD}" in out.getvalue()
    assert User.objects.get().check_password(seed.DEV_PASSWORD)
