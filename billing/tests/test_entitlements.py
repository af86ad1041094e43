"""Every subscription status and the access it gives; the hub trial; the dashboard words."""

from datetime import timedelta

from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from billing.dashboard import billing_panel, short_date
from billing.entitlements import entitlement_for
from billing.models import Subscription
from billing.services import subscription_current_set
from billing.tests.factories import SubscriptionFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def expired_trial_profile():
    return ProfileFactory(trial_started_at=NOW - timedelta(days=20))


def subscribed_after_trial(**fields):
    """A subscription (``fields`` as SubscriptionFactory takes them) of a business whose
    hub trial is over."""
    return SubscriptionFactory(profile=expired_trial_profile(), **fields)


def test_hub_trial_gives_access_for_trial_days_then_stops(settings):
    profile = ProfileFactory(trial_started_at=NOW)
    ent = entitlement_for(profile=profile, now=NOW + timedelta(days=5))
    assert (ent.studio_access, ent.source) == (True, "trial")
    assert ent.trial_ends_at == NOW + timedelta(days=settings.HUB_TRIAL_DAYS)
    later = entitlement_for(profile=profile, now=NOW + timedelta(days=settings.HUB_TRIAL_DAYS))
    assert (later.studio_access, later.source) == (False, None)


def test_hub_trial_needs_verified_email_when_required(settings):
    settings.HUB_TRIAL_REQUIRES_VERIFIED_EMAIL = True
    profile = ProfileFactory(trial_started_at=NOW)
    assert not entitlement_for(profile=profile, now=NOW).studio_access
    EmailAddress.objects.create(
        user=profile.user, email=profile.user.email, verified=True, primary=True
    )
    assert entitlement_for(profile=profile, now=NOW).studio_access


@pytest.mark.parametrize(
    ("status", "access", "source"),
    [
        ("trialing", True, "subscription"),
        ("active", True, "subscription"),
        ("incomplete", False, None),
        ("incomplete_expired", False, None),
        ("unpaid", False, None),
        ("canceled", False, None),
        ("paused", False, None),
    ],
)
def test_each_status_gives_the_contract_access(status, access, source):
    sub = subscribed_after_trial(status=status)
    ent = entitlement_for(profile=sub.profile, now=NOW)
    assert (ent.studio_access, ent.source, ent.subscription_status) == (access, source, status)
    assert ent.plan == "pro"


def test_past_due_has_grace_for_grace_days_then_none(settings):
    sub = subscribed_after_trial(status="past_due", past_due_since=NOW)
    in_grace = entitlement_for(profile=sub.profile, now=NOW + timedelta(days=6, hours=23))
    assert (in_grace.studio_access, in_grace.source) == (True, "grace")
    over = entitlement_for(
        profile=sub.profile, now=NOW + timedelta(days=settings.PAST_DUE_GRACE_DAYS)
    )
    assert (over.studio_access, over.source) == (False, None)


def test_cancel_at_period_end_keeps_access_until_period_end():
    sub = subscribed_after_trial(
        status="active",
        cancel_at_period_end=True,
        current_period_end=NOW + timedelta(days=3),
    )
    assert entitlement_for(profile=sub.profile, now=NOW).studio_access
    assert not entitlement_for(profile=sub.profile, now=NOW + timedelta(days=3)).studio_access


def test_cancel_at_alone_keeps_access_until_cancel_at_and_reads_as_scheduled():
    sub = subscribed_after_trial(
        status="active",
        cancel_at_period_end=False,
        cancel_at=NOW + timedelta(days=3),
        current_period_end=NOW + timedelta(days=10),
    )
    ent = entitlement_for(profile=sub.profile, now=NOW)
    assert ent.studio_access and ent.as_json()["cancel_at_period_end"] is True
    assert billing_panel(profile=sub.profile, now=NOW)["headline"].startswith("Cancels on ")
    assert not entitlement_for(profile=sub.profile, now=NOW + timedelta(days=3)).studio_access


def test_canceled_subscription_during_hub_trial_still_has_trial():
    sub = SubscriptionFactory(profile=ProfileFactory(trial_started_at=NOW), status="canceled")
    ent = entitlement_for(profile=sub.profile, now=NOW)
    assert (ent.studio_access, ent.source, ent.subscription_status) == (True, "trial", "canceled")


def test_only_the_current_subscription_counts():
    profile = expired_trial_profile()
    SubscriptionFactory(profile=profile, status="active", is_current=False)
    SubscriptionFactory(profile=profile, status="canceled", is_current=True)
    assert not entitlement_for(profile=profile, now=NOW).studio_access


def _rows(profile, *statuses):
    """Subscriptions created a day apart, oldest first, none marked current yet."""
    return [
        SubscriptionFactory(
            profile=profile,
            status=status,
            is_current=False,
            stripe_created=NOW - timedelta(days=len(statuses) - i),
        )
        for i, status in enumerate(statuses)
    ]


def _current(profile):
    subscription_current_set(profile=profile)
    return Subscription.objects.get(profile=profile, is_current=True)


def test_current_is_the_live_subscription_not_a_newer_ended_one():
    profile = expired_trial_profile()
    older_live, _newer_canceled = _rows(profile, "trialing", "canceled")
    assert _current(profile) == older_live
    assert entitlement_for(profile=profile, now=NOW).studio_access


def test_current_prefers_newest_access_giving_then_chargeable_then_any():
    profile = expired_trial_profile()
    _, active, past_due, _ = _rows(profile, "active", "active", "past_due", "unpaid")
    assert _current(profile) == past_due
    past_due.status = "canceled"
    past_due.save()
    assert _current(profile) == active
    Subscription.objects.filter(status="active").update(status="canceled")
    unpaid = Subscription.objects.get(profile=profile, status="unpaid")
    assert _current(profile) == unpaid
    unpaid.status = "canceled"
    unpaid.save()
    newest = Subscription.objects.filter(profile=profile).order_by("-stripe_created").first()
    assert _current(profile) == newest


def test_entitlement_json_shape():
    sub = subscribed_after_trial(status="trialing", trial_end=NOW + timedelta(days=30))
    data = entitlement_for(profile=sub.profile, now=NOW).as_json()
    assert set(data) == {
        "studio_access",
        "source",
        "subscription_status",
        "plan",
        "trial_ends_at",
        "current_period_end",
        "cancel_at_period_end",
    }
    assert data["trial_ends_at"] == sub.trial_end.isoformat()
    assert data["plan"] == "pro" and data["cancel_at_period_end"] is False


# -- the dashboard's words -------------------------------------------------------------------

JAN_3 = timezone.make_aware(timezone.datetime(2027, 1, 3, 12, 0))
DEC_1 = timezone.make_aware(timezone.datetime(2026, 12, 1, 12, 0))


def test_panel_trial_days_left_and_ends_soon_banner():
    profile = ProfileFactory(trial_started_at=DEC_1)
    assert billing_panel(profile=profile, now=DEC_1 + timedelta(days=5))["headline"] == (
        "Free trial — 9 days left"
    )
    soon = billing_panel(profile=profile, now=DEC_1 + timedelta(days=11))
    assert soon["headline"] == "Free trial — 3 days left"
    assert "Your free trial ends in 3 days" in soon["banners"][0]["text"]


def test_panel_subscription_words():
    profile = ProfileFactory(trial_started_at=DEC_1 - timedelta(days=40))
    sub = SubscriptionFactory(
        profile=profile, status="trialing", trial_end=JAN_3, current_period_end=JAN_3
    )
    assert (
        billing_panel(profile=profile, now=DEC_1)["headline"] == "Pro plan — free until 3 Jan 2027"
    )
    sub.status = "active"
    sub.save()
    assert billing_panel(profile=profile, now=DEC_1)["headline"] == "Pro plan — renews 3 Jan 2027"
    sub.cancel_at_period_end = True
    sub.save()
    panel = billing_panel(profile=profile, now=DEC_1)
    assert panel["headline"] == "Cancels on 3 Jan 2027 — resume?"
    assert panel["banners"][0]["action"] == "portal"
    sub.status, sub.cancel_at_period_end, sub.past_due_since = "past_due", False, DEC_1
    sub.save()
    panel = billing_panel(profile=profile, now=DEC_1 + timedelta(days=1))
    assert panel["headline"] == "Payment failed — update your card"
    assert panel["banners"][0]["action"] == "portal"
    sub.status = Subscription.Status.CANCELED
    sub.save()
    # Canceled at once: the period end is still ahead and no event says when it ended.
    assert (
        billing_panel(profile=profile, now=DEC_1)["headline"]
        == "Your Pro plan has ended — choose a plan"
    )


def test_panel_says_when_a_canceled_plan_ended():
    profile = expired_trial_profile()
    sub = SubscriptionFactory(profile=profile, status="canceled", current_period_end=JAN_3)
    later = JAN_3 + timedelta(days=10)
    panel = billing_panel(profile=profile, now=later)
    assert panel["headline"] == "Your Pro plan ended on 3 Jan — choose a plan"
    assert not panel["entitlement"].studio_access
    assert panel["show_plans"] and not panel["show_portal"]
    # Cancelled on a date before the period end: that date.
    sub.cancel_at = DEC_1
    sub.save()
    assert billing_panel(profile=profile, now=later)["headline"].startswith(
        "Your Pro plan ended on 1 Dec"
    )
    # Cancelled at once, period end still ahead: when Stripe said it was deleted.
    sub.cancel_at, sub.current_period_end = None, JAN_3 + timedelta(days=30)
    sub.latest_event_created = JAN_3
    sub.save()
    assert billing_panel(profile=profile, now=later)["headline"].startswith(
        "Your Pro plan ended on 3 Jan"
    )


def test_panel_keeps_the_trial_headline_and_notes_the_ended_plan():
    profile = ProfileFactory(trial_started_at=JAN_3)
    SubscriptionFactory(profile=profile, status="canceled", current_period_end=JAN_3)
    panel = billing_panel(profile=profile, now=JAN_3 + timedelta(days=1))
    assert panel["headline"].startswith("Free trial")
    banner = panel["banners"][-1]
    assert banner["level"] == "info" and banner["action"] == "plans"
    assert banner["text"].startswith("Your Pro plan ended on 3 Jan.")


def test_dashboard_shows_when_the_plan_ended(client):
    profile = expired_trial_profile()
    ended = NOW - timedelta(days=5)
    SubscriptionFactory(profile=profile, status="canceled", current_period_end=ended)
    client.force_login(profile.user)
    html = client.get("/dashboard/").content.decode()
    assert f"Your Pro plan ended on {short_date(ended)} — choose a plan" in html
    assert "No access — choose a plan" not in html


def test_panel_renders_portal_button_for_payment_failed(client):
    profile = ProfileFactory(trial_started_at=NOW - timedelta(days=40))
    SubscriptionFactory(profile=profile, status="past_due", past_due_since=NOW)
    client.force_login(profile.user)
    html = client.get("/studio/").content.decode()
    assert "Payment failed — update your card" in html
    assert 'action="/billing/portal/"' in html and "Update card" in html


@pytest.mark.parametrize(
    ("status", "field"), [("trialing", "trial_end"), ("active", "current_period_end")]
)
def test_a_row_long_past_its_period_gives_no_access_by_itself(status, field):
    """Lost webhooks must not keep a subscription alive for ever: past the end of its
    period by more than STALE_AFTER, a trialing/active row gives nothing."""
    from billing.entitlements import STALE_AFTER

    profile = expired_trial_profile()
    end = NOW - timedelta(days=200)
    sub = SubscriptionFactory(profile=profile, status=status, trial_end=end, current_period_end=end)
    ent = entitlement_for(profile=profile, now=NOW)
    assert (ent.studio_access, ent.source, ent.subscription_status) == (False, None, status)
    assert "couldn't confirm" in billing_panel(profile=profile, now=NOW)["headline"]

    setattr(sub, field, NOW - STALE_AFTER + timedelta(minutes=1))  # within the leeway
    sub.save()
    assert entitlement_for(profile=profile, now=NOW).studio_access
