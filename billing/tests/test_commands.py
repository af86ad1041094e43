"""stripe_sync_plans, stripe_reconcile and the billing seeder."""

import io

from django.core.management import call_command

import pytest

from billing import seed
from billing.models import Subscription, SubscriptionPlan
from billing.tests.factories import SubscriptionPlanFactory

pytestmark = pytest.mark.django_db


def test_sync_plans_creates_missing_products_and_prices_once(emu):
    plan = SubscriptionPlanFactory(amount=1900)
    call_command("stripe_sync_plans", stdout=io.StringIO())
    plan.refresh_from_db()
    price = emu.store.prices[plan.stripe_price_id]
    assert (price["unit_amount"], price["currency"], price["recurring"]["interval"]) == (
        1900,
        "gbp",
        "month",
    )
    yearly = emu.store.prices[plan.stripe_price_id_yearly]  # ten months for a year
    assert (yearly["unit_amount"], yearly["recurring"]["interval"]) == (19000, "year")
    first = plan.stripe_price_id
    call_command("stripe_sync_plans", stdout=io.StringIO())
    plan.refresh_from_db()
    assert plan.stripe_price_id == first and len(emu.store.prices) == 2
    # A new amount needs a new price (Stripe prices are immutable).
    SubscriptionPlan.objects.filter(pk=plan.pk).update(amount=2500)
    call_command("stripe_sync_plans", stdout=io.StringIO())
    plan.refresh_from_db()
    assert plan.stripe_price_id != first
    assert emu.store.prices[plan.stripe_price_id]["unit_amount"] == 2500
    assert emu.store.prices[plan.stripe_price_id_yearly]["unit_amount"] == 25000


def test_reconcile_fixes_drift_and_finds_unknown_subscriptions(plans, owner_client, emu, pay):
    pay("pro", success=False)
    assert not Subscription.objects.exists()  # webhook and success page both missed
    out = io.StringIO()
    call_command("stripe_reconcile", stdout=out)
    sub = Subscription.objects.get()
    assert sub.status == "trialing" and sub.profile == owner_client.profile
    Subscription.objects.update(status="unpaid", cancel_at_period_end=True)
    call_command("stripe_reconcile", stdout=out)
    sub.refresh_from_db()
    assert (sub.status, sub.cancel_at_period_end) == ("trialing", False)
    assert "Synced 1, failed 0." in out.getvalue()


def test_seed_creates_plans_and_syncs_to_emulator(emu):
    out = io.StringIO()
    seed.run(stdout=out)
    seed.run(stdout=out)  # idempotent
    plans = list(SubscriptionPlan.objects.order_by("sort_order"))
    assert [(p.slug, p.amount, p.currency) for p in plans] == [
        ("basic", 900, "gbp"),
        ("pro", 1900, "gbp"),
    ]
    assert all(p.stripe_price_id in emu.store.prices for p in plans)
    assert all(p.stripe_price_id_yearly in emu.store.prices for p in plans)
    assert len(emu.store.prices) == 4  # monthly and yearly


def test_seed_warns_and_continues_when_stripe_is_down(db, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    out = io.StringIO()
    seed.run(stdout=out)
    assert "WARNING: could not reach Stripe" in out.getvalue()
    assert SubscriptionPlan.objects.filter(slug__in=["basic", "pro"]).count() == 2


def test_sync_plans_replaces_an_archived_price_the_same_day(emu):
    from billing import stripe_client

    plan = SubscriptionPlanFactory(amount=1900)
    call_command("stripe_sync_plans", stdout=io.StringIO())
    plan.refresh_from_db()
    first = plan.stripe_price_id
    stripe_client.client().v1.prices.update(first, params={"active": False})  # in the dashboard
    call_command("stripe_sync_plans", stdout=io.StringIO())
    plan.refresh_from_db()
    assert plan.stripe_price_id != first
    assert emu.store.prices[plan.stripe_price_id]["active"] is True
    assert emu.store.prices[plan.stripe_price_id]["unit_amount"] == 1900
