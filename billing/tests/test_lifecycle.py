"""Trial end, renewal and failed payments, driven by the emulator's clock."""

from datetime import timedelta

from django.utils import timezone

import pytest

from billing.dashboard import billing_panel
from billing.entitlements import entitlement_for
from billing.models import Subscription
from billing.selectors import billing_admin_stats

pytestmark = pytest.mark.django_db

DAY = 86400


def test_failing_card_moves_to_grace_then_no_access_then_canceled(
    plans, trial_over, pay, emu, deliver, settings
):
    profile = trial_over
    pay("pro", card="4000 0000 0000 0341")
    deliver()
    sub = Subscription.objects.get()
    assert sub.status == "trialing"
    assert entitlement_for(profile=profile).source == "subscription"

    emu.advance(seconds=31 * DAY)  # past the free month: the first charge fails
    deliver()
    sub.refresh_from_db()
    assert sub.status == "past_due" and sub.past_due_since is not None
    now = timezone.now()
    ent = entitlement_for(profile=profile, now=now)
    assert (ent.studio_access, ent.source) == (True, "grace")
    assert billing_panel(profile=profile)["headline"] == "Payment failed — update your card"

    # The hub's clock moves on past the grace period while Stripe keeps retrying.
    later = now + timedelta(days=settings.PAST_DUE_GRACE_DAYS, minutes=1)
    assert not entitlement_for(profile=profile, now=later).studio_access
    assert billing_panel(profile=profile, now=later)["headline"].startswith("No access")

    emu.advance(seconds=15 * DAY)  # the 8th attempt (two weeks on) fails: Stripe cancels
    deliver()
    sub.refresh_from_db()
    assert sub.status == "canceled" and sub.past_due_since is None
    assert not entitlement_for(profile=profile).studio_access


def test_trial_converts_to_active_and_renews(plans, trial_over, pay, emu, deliver):
    pay("pro")
    deliver()
    emu.advance(seconds=31 * DAY)
    types = [e["type"] for e in emu.events()]
    assert "customer.subscription.trial_will_end" in types
    deliver()
    sub = Subscription.objects.get()
    assert sub.status == "active" and sub.trial_end is not None
    assert sub.current_period_end > timezone.now() + timedelta(days=25)
    assert billing_panel(profile=trial_over)["headline"].startswith("Pro plan — renews ")
    stats = billing_admin_stats()
    assert stats == {
        "trials_running": 0,
        "paying_subscriptions": 1,
        "mrr_minor": 1900,
        "currency": "gbp",
    }


def test_updating_card_in_portal_recovers_past_due(
    plans, trial_over, owner_client, pay, emu, deliver, in_portal
):

    pay("pro", card="4000 0000 0000 0341")
    emu.advance(seconds=31 * DAY)
    deliver()
    assert Subscription.objects.get().status == "past_due"
    in_portal("update_card", card_number="4242424242424242")
    deliver()
    sub = Subscription.objects.get()
    assert sub.status == "active" and sub.past_due_since is None
    assert entitlement_for(profile=trial_over).source == "subscription"


def test_admin_stats_counts_trials(plans, owner_client, pay, deliver):
    from tests.factories import ProfileFactory

    ProfileFactory()  # a fresh hub trial
    pay("pro")  # the owner: in a Stripe trial (and a hub trial, counted once)
    stats = billing_admin_stats()
    assert stats["trials_running"] == 2
    assert stats["paying_subscriptions"] == 0 and stats["mrr_minor"] == 0


def _emulator_now(emu):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(emu.now(), tz=UTC)


def test_grace_counts_from_the_failed_invoice_when_learnt_days_later(
    plans, trial_over, pay, emu, settings
):
    """The webhooks of a failed renewal were lost; a re-sync two days later (with the hub's
    clock where Stripe's is) still dates grace from the invoice that failed, not from now."""
    from billing import services

    pay("pro", card="4000 0000 0000 0341")
    sub = Subscription.objects.get()
    trial_end = sub.trial_end
    emu.advance(seconds=31 * DAY)  # the first charge fails an hour after trial end: past_due
    emu.advance(seconds=1 * DAY)  # no retry yet (+2 days)
    now = _emulator_now(emu)
    finalized = trial_end + timedelta(hours=1)  # renewal invoices stay draft for an hour

    services.subscription_refresh(subscription_id=sub.stripe_subscription_id, now=now)
    sub.refresh_from_db()
    assert sub.status == "past_due"
    assert sub.past_due_since == finalized  # the invoice's finalization, not `now`
    grace_days = settings.PAST_DUE_GRACE_DAYS
    assert entitlement_for(profile=trial_over, now=now).source == "grace"
    over = finalized + timedelta(days=grace_days, minutes=1)
    assert not entitlement_for(profile=trial_over, now=over).studio_access

    # A later re-sync keeps the earlier start, even one the hub recorded before the invoice.
    earlier = trial_end - timedelta(hours=1)
    Subscription.objects.update(past_due_since=earlier)
    services.subscription_refresh(
        subscription_id=sub.stripe_subscription_id, now=now + timedelta(days=1)
    )
    sub.refresh_from_db()
    assert sub.past_due_since == earlier
