"""Businesses in the Wagtail admin: searchable by name and e-mail, filterable by trial."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from accounts.models import User
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/accounts/profile/"


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser(email="staff@example.com", password="x"))
    return client


def test_staff_find_businesses_by_name_and_email(staff_client):
    ProfileFactory(business_name="Mint & Co.", user__email="mint@example.com")
    ProfileFactory(business_name="Gym Jam", user__email="gym@example.com")
    by_name = staff_client.get(INDEX, {"q": "Mint"}).content.decode()
    assert "Mint &amp; Co." in by_name and "Gym Jam" not in by_name
    by_email = staff_client.get(INDEX, {"q": "gym@example"}).content.decode()
    assert "Gym Jam" in by_email and "Mint &amp; Co." not in by_email


def test_staff_filter_by_trial(staff_client):
    ProfileFactory(business_name="Fresh Start")
    ProfileFactory(business_name="Old Timer", trial_started_at=timezone.now() - timedelta(days=60))
    running = staff_client.get(INDEX, {"trial": "running"}).content.decode()
    assert "Fresh Start" in running and "Old Timer" not in running
    ended = staff_client.get(INDEX, {"trial": "ended"}).content.decode()
    assert "Old Timer" in ended and "Fresh Start" not in ended


def test_admin_edits_validate_the_phone(staff_client):
    profile = ProfileFactory()
    url = f"{INDEX}edit/{profile.pk}/"
    bad = staff_client.post(url, {"business_name": "X", "contact_email": "", "phone": "123"})
    assert bad.status_code == 200
    profile.refresh_from_db()
    assert profile.phone == ""
    staff_client.post(url, {"business_name": "X", "contact_email": "", "phone": "07911 123456"})
    profile.refresh_from_db()
    assert profile.phone == "+447911123456"


def test_admin_cannot_delete_profiles_outside_account_deletion(staff_client):
    profile = ProfileFactory()
    assert staff_client.get(f"{INDEX}delete/{profile.pk}/").status_code in (302, 403)


def page_heading(html):
    h1 = re.search(r'<h1[^>]*id="header-title"[^>]*>(.*?)</h1>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", h1).split())


def test_businesses_index_is_headed_like_its_menu_item(staff_client):
    html = staff_client.get(INDEX).content.decode()
    assert page_heading(html) == "Businesses"
    assert "<title>Businesses" in html
