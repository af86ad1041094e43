"""An owner signs up, confirms their e-mail, lands on the dashboard and edits the profile."""

import re

from django.core import mail

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from tests.factories import DEFAULT_PASSWORD, ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_confirm_email_dashboard_and_edit_profile(page, live_server, site_home):
    page.goto("/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your free trial")
    page.get_by_label("E-mail").fill("owner@mint.example")
    page.get_by_label("Business name").fill("Mint & Co. Hair Studio")
    page.get_by_label("Password", exact=True).fill("a-Long-unusual-pass-42")
    page.get_by_label("Password (again)").fill("a-Long-unusual-pass-42")
    page.get_by_role("button", name="Create account").click()

    # The confirmation mail; its link is opened in the same browser.
    page.wait_for_load_state()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["owner@mint.example"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()

    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Mint & Co. Hair Studio")
    expect(page.get_by_text("Free trial")).to_be_visible()
    expect(page.get_by_role("link", name="Edit storefront")).to_be_visible()

    page.get_by_role("link", name="Edit profile").click()
    page.wait_for_url("**/dashboard/profile/")
    page.get_by_label("Phone").fill("12345")
    page.get_by_role("button", name="Save profile").click()
    phone_error = page.locator("#id_phone_error")
    expect(phone_error).to_contain_text("valid phone number")
    expect(page.get_by_label("Phone")).to_have_attribute("aria-invalid", "true")
    assert Profile.objects.get().phone == ""  # nothing saved

    page.get_by_label("Phone").fill("020 7946 0123")
    page.get_by_role("button", name="Save profile").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("alert")).to_contain_text("Your business profile is saved.")
    expect(page.get_by_text("020 7946 0123")).to_be_visible()
    assert Profile.objects.get().phone == "+442079460123"


def test_logged_out_dashboard_visit_logs_in_and_comes_back(page, site_home):
    ProfileFactory(user__email="back@mint.example", business_name="Back Again")
    page.goto("/dashboard/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/dashboard/"))
    page.get_by_label("E-mail").fill("back@mint.example")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Back Again")
