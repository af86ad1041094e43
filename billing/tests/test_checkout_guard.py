"""One owner, one subscription, one free month: several checkouts at once never bill twice."""

import pytest

from billing import services, stripe_client
from billing.entitlements import entitlement_for
from billing.models import Subscription
from tests.stripe_fixtures import emulator_request

pytestmark = pytest.mark.django_db

CARD = {"card_number": "4242424242424242"}


def _session_id(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _live_in_stripe(emu) -> list[dict]:
    return [s for s in emu.store.subscriptions.values() if s["status"] not in ("canceled",)]


def _side_session(profile, plan, *, trial_days: int = 0):
    """A Checkout Session the hub's checkout did not see (a request racing it, or a tab
    opened before this release): same customer, same metadata."""
    params = {
        "mode": "subscription",
        "customer": services.stripe_customer_ensure(profile=profile),
        "client_reference_id": str(profile.pk),
        "line_items": [{"price": plan.stripe_price_id, "quantity": 1}],
        "metadata": {"profile_id": str(profile.pk), "plan": plan.slug},
        "subscription_data": {"metadata": {"profile_id": str(profile.pk), "plan": plan.slug}},
        "success_url": "http://testserver/billing/success/?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://testserver/billing/cancel/",
    }
    if trial_days:
        params["subscription_data"]["trial_period_days"] = trial_days
    return stripe_client.checkout_session_create(params=params, key=None)


def test_a_new_checkout_expires_the_owners_older_open_one(
    plans, owner_client, trial_over, emu, deliver
):
    """Two tabs: Basic opened first, then Pro. Only the newest checkout can be paid."""
    basic = owner_client.post("/billing/checkout/basic/")
    pro = owner_client.post("/billing/checkout/pro/")
    assert emu.store.checkout_sessions[_session_id(basic["Location"])]["status"] == "expired"

    status, _, html = emulator_request(emu, "POST", basic["Location"], CARD)
    assert status == 200 and "expired" in html
    status, _, _ = emulator_request(emu, "POST", pro["Location"], CARD)
    assert status == 303
    deliver()
    assert len(_live_in_stripe(emu)) == 1
    sub = Subscription.objects.get()
    assert (sub.plan.slug, sub.status, sub.is_current) == ("pro", "trialing", True)


def test_a_second_click_in_the_same_minute_gets_a_fresh_open_session(plans, owner_client, emu):
    first = owner_client.post("/billing/checkout/pro/")
    second = owner_client.post("/billing/checkout/pro/")
    assert first["Location"] != second["Location"]
    sessions = emu.store.checkout_sessions
    assert sessions[_session_id(first["Location"])]["status"] == "expired"
    assert sessions[_session_id(second["Location"])]["status"] == "open"


def test_completing_a_checkout_expires_the_owners_other_open_sessions(
    plans, owner_client, trial_over, emu, pay
):
    other = _side_session(trial_over, plans["basic"])
    pay("pro")
    assert emu.store.checkout_sessions[other.id]["status"] == "expired"


def test_two_paid_checkouts_leave_one_subscription_and_the_later_is_canceled(
    plans, owner_client, trial_over, emu, deliver
):
    """A racing request opened a second session before either was paid: both get paid.
    The later subscription is canceled in Stripe, the older one stays current."""
    pro = owner_client.post("/billing/checkout/pro/")
    racing = _side_session(trial_over, plans["basic"], trial_days=30)
    emulator_request(emu, "POST", pro["Location"], CARD)
    emu.advance(seconds=60)
    emulator_request(emu, "POST", racing.url, CARD)
    deliver()

    live = _live_in_stripe(emu)
    assert len(live) == 1 and live[0]["items"]["data"][0]["price"]["id"] == (
        plans["pro"].stripe_price_id
    )
    kept = Subscription.objects.get(is_current=True)
    refused = Subscription.objects.get(is_current=False)
    assert (kept.plan.slug, kept.status) == ("pro", "trialing")
    assert (refused.plan.slug, refused.status) == ("basic", "canceled")
    assert emu.store.subscriptions[refused.stripe_subscription_id]["cancellation_details"][
        "comment"
    ] == ("MintKit Hub: refused (duplicate)")
    ent = entitlement_for(profile=trial_over)
    assert (ent.studio_access, ent.plan) == (True, "pro")

    page = owner_client.get(f"/billing/success/?session_id={racing.id}").content.decode()
    assert "didn't start a subscription" in page


def test_a_held_open_session_paid_later_gets_no_second_free_month(
    plans, owner_client, trial_over, emu, deliver, pay, in_portal
):
    """Opened with a free month before the owner's first subscription existed, paid after
    that subscription was canceled: the new subscription is refused, not a second trial."""
    pay("pro")
    deliver()
    first = Subscription.objects.get()
    held = _side_session(trial_over, plans["basic"], trial_days=30)  # the racing tab
    in_portal("cancel_now", subscription=first.stripe_subscription_id)
    deliver()
    emu.advance(seconds=60)
    assert emulator_request(emu, "POST", held.url, CARD)[0] == 303
    deliver()

    assert _live_in_stripe(emu) == []
    second = Subscription.objects.exclude(pk=first.pk).get()
    assert second.status == "canceled"
    assert not entitlement_for(profile=trial_over).studio_access
    # A checkout now is a normal one, without a free month.
    again = owner_client.post("/billing/checkout/basic/")
    assert emu.store.checkout_sessions[_session_id(again["Location"])]["_trial_days"] is None


def test_cancelling_the_newer_duplicate_keeps_the_older_live_one_current(
    plans, owner_client, trial_over, emu, deliver
):
    """Reviewer's case: with two live subscriptions, ending the newer one must not hide the
    older one that still gives access (and will be charged)."""
    pro = owner_client.post("/billing/checkout/pro/")
    emulator_request(emu, "POST", pro["Location"], CARD)
    deliver(types=["customer.subscription.created"])  # no checkout.session.completed yet
    emu.advance(seconds=60)
    racing = _side_session(trial_over, plans["basic"])
    emulator_request(emu, "POST", racing.url, CARD)
    deliver(types=["customer.subscription.created"])
    older, newer = Subscription.objects.order_by("stripe_created")
    assert (older.status, newer.status) == ("trialing", "active")
    newer.refresh_from_db()
    assert newer.is_current  # the newest live one

    stripe_client.subscription_cancel(newer.stripe_subscription_id, key=None)
    deliver(types=["customer.subscription.deleted"])
    older.refresh_from_db()
    assert older.is_current and older.status == "trialing"
    ent = entitlement_for(profile=trial_over)
    assert (ent.studio_access, ent.plan, ent.subscription_status) == (True, "pro", "trialing")


def test_a_late_completed_webhook_leaves_a_checkout_opened_afterwards_alone(
    plans, owner_client, trial_over, emu, deliver
):
    first = owner_client.post("/billing/checkout/pro/")
    emulator_request(emu, "POST", first["Location"], CARD)  # success page never seen
    sub_id = next(iter(emu.store.subscriptions))
    stripe_client.subscription_cancel(sub_id, key=None)  # ended before any webhook arrived
    emu.advance(seconds=60)
    later = owner_client.post("/billing/checkout/basic/")
    deliver()  # checkout.session.completed of the first one, late
    assert emu.store.checkout_sessions[_session_id(later["Location"])]["status"] == "open"
    assert Subscription.objects.get().status == "canceled"
