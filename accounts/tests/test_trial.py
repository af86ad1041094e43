"""The hub trial starts at sign-up and can never be restarted."""

from datetime import timedelta

from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from accounts.models import TrialClaim, User, email_digest
from accounts.services import account_delete, profile_create, profile_email_added
from billing.entitlements import entitlement_for
from tests.factories import UserFactory
from tests.signup import sign_up

pytestmark = pytest.mark.django_db


def signup(client, email):
    return sign_up(client, email, "Mint & Co.")


def test_the_trial_starts_at_sign_up_and_lasts_hub_trial_days(client, settings):
    settings.HUB_TRIAL_DAYS = 14
    before = timezone.now()
    signup(client, "owner@example.com")
    profile = User.objects.get(email="owner@example.com").profile
    assert before <= profile.trial_started_at <= timezone.now()
    access = entitlement_for(profile=profile)
    assert access.studio_access and access.source == "trial"
    assert access.trial_ends_at == profile.trial_started_at + timedelta(days=14)
    later = entitlement_for(profile=profile, now=profile.trial_started_at + timedelta(days=14))
    assert not later.studio_access


def test_the_ledger_keeps_only_a_keyed_hash_of_the_address(client):
    import hashlib

    signup(client, "Owner@Example.com")
    claim = TrialClaim.objects.get()
    assert claim.email_hmac == email_digest("owner@example.com")
    assert "example" not in claim.email_hmac
    # Not the plain SHA-256 anyone could test a guessed address against.
    assert claim.email_hmac != hashlib.sha256(b"owner@example.com").hexdigest()


def test_deleting_and_signing_up_again_resumes_the_original_trial(client):
    signup(client, "again@example.com")
    first = User.objects.get(email="again@example.com")
    original_start = first.profile.trial_started_at - timedelta(days=20)
    first.profile.trial_started_at = original_start  # as if signed up 20 days ago
    first.profile.save()
    account_delete(user=first)
    client.logout()

    signup(client, "AGAIN@example.com")
    profile = User.objects.get(email__iexact="again@example.com").profile
    assert profile.trial_started_at == original_start
    assert not entitlement_for(profile=profile).studio_access
    response = client.get("/dashboard/")
    assert "No access" in response.content.decode()


def test_plus_addressing_does_not_buy_a_new_trial(client):
    start = timezone.now() - timedelta(days=30)
    TrialClaim.objects.create(email_hmac=email_digest("sam@gmail.com"), trial_started_at=start)
    signup(client, "Sam+again@googlemail.com")
    user = User.objects.get(email__iexact="sam+again@googlemail.com")
    assert user.profile.trial_started_at == start


def test_changing_email_keeps_the_trial_and_the_new_address_is_claimed_too():
    user = UserFactory(email="old@example.com")
    profile = profile_create(user=user, business_name="Shop")
    started = profile.trial_started_at
    # allauth's e-mail change adds the new address (email_added signal → this service).
    profile_email_added(user=user, email="new@example.com")
    user.email = "new@example.com"
    user.save()
    profile.refresh_from_db()
    assert profile.trial_started_at == started
    account_delete(user=user)
    fresh = profile_create(user=UserFactory(email="new@example.com"), business_name="Shop 2")
    assert fresh.trial_started_at == started


def test_adding_an_email_through_allauth_claims_it(client):
    signup(client, "first@example.com")
    user = User.objects.get(email="first@example.com")
    client.post("/accounts/email/", {"email": "second@example.com", "action_add": ""})
    assert EmailAddress.objects.filter(user=user, email="second@example.com").exists()
    assert TrialClaim.objects.filter(email_hmac=email_digest("second@example.com")).exists()
    claim = TrialClaim.objects.get(email_hmac=email_digest("second@example.com"))
    assert claim.trial_started_at == user.profile.trial_started_at


def test_a_profile_made_later_for_an_existing_user_gets_a_trial_from_then():
    user = UserFactory(email="admin@example.com")
    profile = profile_create(user=user, business_name="Admin's shop")
    assert entitlement_for(profile=profile).studio_access


def test_a_recreated_account_gets_no_second_free_month_on_a_paid_plan(client, settings):
    from billing.models import Subscription
    from billing.services import stripe_trial_days_for
    from billing.tests.factories import SubscriptionFactory

    settings.STRIPE_TRIAL_DAYS = 30
    signup(client, "paid-once@example.com")
    first = User.objects.get(email="paid-once@example.com")
    assert stripe_trial_days_for(profile=first.profile, customer_id=None) == 30
    SubscriptionFactory(profile=first.profile, status=Subscription.Status.CANCELED)
    account_delete(user=first)
    client.logout()

    signup(client, "Paid-Once@example.com")
    again = User.objects.get(email__iexact="paid-once@example.com").profile
    assert stripe_trial_days_for(profile=again, customer_id=None) == 0


def test_a_recreated_account_that_never_paid_still_gets_the_free_month(client, settings):
    from billing.services import stripe_trial_days_for

    settings.STRIPE_TRIAL_DAYS = 30
    signup(client, "never-paid@example.com")
    account_delete(user=User.objects.get(email="never-paid@example.com"))
    client.logout()

    signup(client, "never-paid@example.com")
    again = User.objects.get(email="never-paid@example.com").profile
    assert stripe_trial_days_for(profile=again, customer_id=None) == 30
