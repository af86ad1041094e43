"""Checkout, success, cancel and portal against the Stripe emulator through the real SDK."""

from datetime import timedelta

from django.utils import timezone

import pytest

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


def test_get_checkout_shows_the_button_without_auto_submit(plans, owner_client):
    """A link from anywhere (another site included) to the checkout URL never starts a
    checkout by itself: the owner has to press the button."""
    response = owner_client.get("/billing/checkout/pro/", HTTP_REFERER="https://evil.example/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Continue to secure checkout" in page and "data-autosubmit" not in page
    assert owner_client.post("/billing/checkout/pro/").status_code == 303
    anonymous = owner_client.__class__().post("/billing/checkout/pro/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_plan_chosen_while_logged_out_auto_submits_once_after_sign_up(plans, client):
    from django.test import Client

    pricing_link = "/billing/checkout/pro/"  # what the plan card links to when logged out
    chose = client.get(pricing_link)
    assert chose.status_code == 302
    assert chose["Location"] == "/accounts/signup/?next=%2Fbilling%2Fcheckout%2Fpro%2F"
    assert client.get("/billing/checkout/nope/").status_code == 404

    profile = ProfileFactory()
    client.force_login(profile.user)  # signing up keeps the session's data
    first = client.get("/billing/checkout/pro/").content.decode()
    assert "data-autosubmit" in first
    assert "data-autosubmit" not in client.get("/billing/checkout/pro/").content.decode()

    # Chosen for another plan, or another browser: no auto-submit.
    client.logout()
    client.get("/billing/checkout/basic/")
    client.force_login(profile.user)
    assert "data-autosubmit" not in client.get("/billing/checkout/pro/").content.decode()
    other = Client()
    other.force_login(profile.user)
    assert "data-autosubmit" not in other.get("/billing/checkout/pro/").content.decode()


def test_unknown_or_inactive_plan_is_404(plans, owner_client):
    plans["basic"].is_active = False
    plans["basic"].save()
    assert owner_client.post("/billing/checkout/basic/").status_code == 404
    assert owner_client.post("/billing/checkout/nope/").status_code == 404


def test_second_subscription_gets_no_free_month_and_reuses_customer(
    plans, owner_client, pay, emu, deliver, in_portal
):
    pay("pro")
    first = Subscription.objects.get()
    # Cancelled in Stripe straight away.
    in_portal("cancel_now", subscription=first.stripe_subscription_id)
    deliver()
    first.refresh_from_db()
    assert first.status == "canceled"
    _, _, success = pay("basic")
    second = Subscription.objects.get(is_current=True)
    assert second.pk != first.pk
    assert second.status == "active" and second.trial_end is None
    assert second.stripe_customer_id == first.stripe_customer_id
    assert second.plan.slug == "basic"
    assert "Basic plan — renews" in success.content.decode()
    first.refresh_from_db()
    assert not first.is_current  # kept as history


def test_owner_with_live_subscription_gets_a_plan_change_not_checkout(
    plans, owner_client, pay, emu
):
    pay("pro")
    response = owner_client.post("/billing/checkout/basic/")
    assert response.status_code == 303
    assert response["Location"] == "/billing/change/basic/?interval=month"
    assert len(emu.store.checkout_sessions) == 1


def test_paid_but_webhook_not_arrived_and_success_page_not_seen_still_goes_to_portal(
    plans, owner_client, emu, pay
):
    pay("pro", success=False)
    assert not Subscription.objects.exists()  # no webhook, success page never opened
    again = owner_client.post("/billing/checkout/pro/")
    assert again["Location"].startswith(emu.url + "/portal/")
    assert Subscription.objects.get().status == "trialing"


def test_success_page_of_another_owner_shows_nothing(plans, owner_client, pay, client):
    checkout, _, _ = pay("pro")
    session_id = checkout["Location"].rsplit("/", 1)[1]
    other = ProfileFactory()
    from django.test import Client

    intruder = Client()
    intruder.force_login(other.user)
    response = intruder.get(f"/billing/success/?session_id={session_id}")
    assert response.status_code == 404
    assert "Checkout not found" in response.content.decode()
    assert not Subscription.objects.filter(profile=other).exists()
    forged = intruder.get("/billing/success/?session_id=cs_doesnotexist&status=paid")
    assert forged.status_code == 404


def test_success_page_for_unfinished_checkout_says_nothing_charged(plans, owner_client, emu):
    response = owner_client.post("/billing/checkout/pro/")
    session_id = response["Location"].rsplit("/", 1)[1]
    page = owner_client.get(f"/billing/success/?session_id={session_id}")
    assert page.status_code == 200
    assert "Checkout not finished" in page.content.decode()
    assert not Subscription.objects.exists()


def test_cancel_page_says_nothing_was_charged(owner_client):
    assert "Nothing was charged" in owner_client.get("/billing/cancel/").content.decode()


def test_declined_card_creates_nothing(plans, owner_client, pay, settings):
    # A first subscription has a free month, so a declined card only shows up without one.
    settings.STRIPE_TRIAL_DAYS = 0
    _, status, success = pay("pro", card="4000 0000 0000 0002")
    assert status == 200 and success is None
    assert not Subscription.objects.exists()


def test_portal_redirects_to_stripe_portal_and_needs_a_customer(plans, owner_client, pay, emu):
    nothing = owner_client.post("/billing/portal/")
    assert nothing.status_code == 303 and nothing["Location"] == "/studio/"
    pay("pro")
    response = owner_client.post("/billing/portal/")
    assert response.status_code == 303
    assert response["Location"].startswith(emu.url + "/portal/bps_")
    assert owner_client.get("/billing/portal/").status_code == 405


def test_the_e_mails_update_card_link_opens_the_portal_at_its_card_form(
    plans, owner_client, pay, emu
):
    nothing = owner_client.get("/billing/portal/card/")
    assert nothing.status_code == 303 and nothing["Location"] == "/studio/"
    pay("pro")
    response = owner_client.get("/billing/portal/card/")
    assert response.status_code == 303
    url = response["Location"]
    assert url.startswith(emu.url + "/portal/bps_")
    session = emu.store.portal_sessions[url.rsplit("/", 1)[1].split("?")[0]]
    assert session["flow"]["type"] == "payment_method_update"
    status, _, html = emulator_request(emu, "GET", url)
    assert status == 200 and "card" in html.lower()
    assert owner_client.post("/billing/portal/card/").status_code == 405


def test_the_update_card_link_needs_a_log_in(client, db):
    response = client.get("/billing/portal/card/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_cancel_at_period_end_keeps_access_until_period_end_then_deleted_ends_it(
    plans, owner_client, pay, emu, deliver, in_portal
):
    profile = owner_client.profile
    pay("pro")
    sub = Subscription.objects.get()
    in_portal("cancel_at_period_end", subscription=sub.stripe_subscription_id)
    deliver()
    sub.refresh_from_db()
    assert sub.cancel_at_period_end
    # Hub trial over, so only the subscription counts.
    profile.trial_started_at = timezone.now() - timedelta(days=30)
    profile.save()
    assert entitlement_for(profile=profile).studio_access
    emu.advance(seconds=31 * 86400)
    deliver()
    sub.refresh_from_db()
    assert sub.status == "canceled"
    assert not entitlement_for(profile=profile).studio_access


def test_account_deletion_cancels_stripe_subscription(plans, owner_client, pay, emu):
    from billing.services import profile_subscriptions_cancel

    pay("pro")
    sub = Subscription.objects.get()
    assert profile_subscriptions_cancel(profile=owner_client.profile) == 1
    assert emu.store.subscriptions[sub.stripe_subscription_id]["status"] == "canceled"
    sub.refresh_from_db()
    assert sub.status == "canceled"


def test_checkout_recovers_when_stripe_forgot_the_customer(plans, owner_client, emu):
    owner_client.post("/billing/checkout/pro/")
    old = StripeCustomer.objects.get(profile=owner_client.profile).stripe_customer_id
    emu.reset()  # e.g. the dev emulator restarted: customers and prices are gone
    from billing.services import plans_sync_to_stripe

    plans_sync_to_stripe()
    response = owner_client.post("/billing/checkout/pro/")
    assert response.status_code == 303
    assert response["Location"].startswith(emu.url + "/checkout/cs_")
    new = StripeCustomer.objects.get(profile=owner_client.profile).stripe_customer_id
    assert new != old and new in emu.store.customers


def test_checkout_with_a_replaced_customer_in_the_same_minute_is_not_an_idempotency_error(
    plans, owner_client, emu
):
    """Same owner, plan and minute, but a new customer: the idempotency key must differ, or
    Stripe answers idempotency_error (shown as "couldn't reach our payment provider")."""
    from billing import stripe_client

    owner_client.post("/billing/checkout/pro/")
    old = StripeCustomer.objects.get(profile=owner_client.profile).stripe_customer_id
    stripe_client.client().v1.customers.delete(old)  # deleted in the Stripe dashboard
    response = owner_client.post("/billing/checkout/pro/")
    assert response.status_code == 303
    assert response["Location"].startswith(emu.url + "/checkout/cs_")
    new = StripeCustomer.objects.get(profile=owner_client.profile).stripe_customer_id
    assert new != old
    session_id = response["Location"].rsplit("/", 1)[1]
    assert emu.store.checkout_sessions[session_id]["customer"] == new


def test_cancel_at_alone_is_a_scheduled_cancellation(plans, owner_client, pay, emu, deliver):
    """Newer API versions (flexible billing mode) may say "cancel at period end" with only
    ``cancel_at`` and ``cancel_at_period_end`` false: the hub treats it the same way."""
    from billing import stripe_client
    from billing.dashboard import short_date

    profile = owner_client.profile
    profile.trial_started_at = timezone.now() - timedelta(days=30)
    profile.save()
    pay("pro")
    sub = Subscription.objects.get()
    cancel_at = int(sub.trial_end.timestamp()) - 5 * 86400
    stripe_client.client().v1.subscriptions.update(
        sub.stripe_subscription_id, params={"cancel_at": cancel_at}
    )
    deliver()
    sub.refresh_from_db()
    assert (sub.cancel_at_period_end, sub.cancel_at.timestamp()) == (False, cancel_at)

    data = owner_client.get("/api/v1/me/entitlement").json()
    assert (data["studio_access"], data["cancel_at_period_end"]) == (True, True)
    page = owner_client.get("/studio/").content.decode()
    assert f"Cancels on {short_date(sub.cancel_at)} — resume?" in page
    assert ">Resume</button>" in owner_client.get("/dashboard/").content.decode()
    # Access ends at cancel_at, not at the (later) end of the free month.
    assert entitlement_for(profile=profile, now=sub.cancel_at - timedelta(seconds=1)).studio_access
    assert not entitlement_for(profile=profile, now=sub.cancel_at).studio_access

    emu.advance(seconds=cancel_at - emu.now() + 60)
    deliver()
    sub.refresh_from_db()
    assert sub.status == "canceled"
    assert not entitlement_for(profile=profile).studio_access
