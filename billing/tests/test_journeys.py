"""Checkout, success, cancel and portal against the Stripe emulator through the real SDK."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.entitlements import entitlement_for
from billing.models import StripeCustomer, Subscription
from tests.factories import ProfileFactory
from tests.stripe_fixtures import emulator_request

pytestmark = pytest.mark.django_db


def test_checkout_creates_session_with_free_month_and_success_records_subscription(
    plans, owner_client, pay, emu
):
    profile = owner_client.profile
    checkout, status, success = pay("pro")
    assert checkout["Location"].startswith(emu.url + "/checkout/cs_")
    session = emu.store.checkout_sessions[checkout["Location"].rsplit("/", 1)[1]]
    assert session["client_reference_id"] == str(profile.pk)
    assert session["metadata"]["profile_id"] == str(profile.pk)

    # No webhook was delivered: the success page applied Stripe's state itself.
    assert success.status_code == 200
    sub = Subscription.objects.get(profile=profile)
    assert sub.status == "trialing"
    assert sub.plan == plans["pro"]
    assert sub.is_current
    assert sub.trial_end - timezone.now() > timedelta(days=29)
    assert "Pro plan — free until" in success.content.decode()
    assert StripeCustomer.objects.get(profile=profile).stripe_customer_id == sub.stripe_customer_id
    ent = entitlement_for(profile=profile)
    assert (ent.studio_access, ent.source, ent.plan) == (True, "subscription", "pro")
