"""3-D Secure with 4000 0027 6000 3184 through the emulator and the real SDK: checkout
completes after the owner authenticates; a renewal that needs authentication puts the owner
in grace with "Confirm your payment of £19.00" linking to the hosted invoice page, and paying
there clears it."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from billing.actions import billing_action_required
from billing.entitlements import entitlement_for
from billing.models import Subscription
from billing.tests.factories import SubscriptionFactory
from notifications.models import EmailKind, LifecycleEmail
from tests.stripe_fixtures import emulator_request, post_event

pytestmark = pytest.mark.django_db

CARD_3DS = "4000 0027 6000 3184"
DAY = 86400


def checkout_with_3ds(owner_client, emu, *, authenticate: str):
    """Start checkout, give the 3-D Secure card, then complete or fail the authentication.
    Returns (status, headers, html) of the authentication answer."""
    response = owner_client.post("/billing/checkout/pro/")
    assert response.status_code == 303
    url = response["Location"]
    status, _, html = emulator_request(emu, "POST", url, {"card_number": CARD_3DS})
    assert status == 200 and 'id="authenticate-complete"' in html  # Stripe's 3-D Secure step
    return emulator_request(
        emu, "POST", url, {"card_number": CARD_3DS, "authenticate": authenticate}
    )


def test_checkout_completes_after_the_owner_authenticates(plans, owner_client, emu):
    status, headers, _ = checkout_with_3ds(owner_client, emu, authenticate="complete")
    assert status == 303
    success = owner_client.get(headers["Location"].removeprefix("http://testserver"))
    assert success.status_code == 200
    sub = Subscription.objects.get()
    assert sub.status == "trialing" and sub.plan.slug == "pro"
    assert entitlement_for(profile=owner_client.profile).source == "subscription"


def test_checkout_without_a_free_month_charges_after_authentication(plans, owner_client, emu):
    """A returning customer pays at once: the authentication step shows the amount."""
    SubscriptionFactory(
        profile=owner_client.profile,
        plan=plans["pro"],
        status="canceled",
        is_current=True,
        stripe_created=timezone.now() - timedelta(days=90),
    )
    response = owner_client.post("/billing/checkout/pro/")
    url = response["Location"]
    status, _, html = emulator_request(emu, "POST", url, {"card_number": CARD_3DS})
    assert status == 200 and 'id="amount"' in html and "19.00" in html
    status, headers, _ = emulator_request(
        emu, "POST", url, {"card_number": CARD_3DS, "authenticate": "complete"}
    )
    assert status == 303
    owner_client.get(headers["Location"].removeprefix("http://testserver"))
    current = Subscription.objects.get(is_current=True, status="active")
    assert current.plan.slug == "pro"


def test_failed_authentication_creates_nothing(plans, owner_client, emu):
    status, _, html = checkout_with_3ds(owner_client, emu, authenticate="fail")
    assert status != 303 and "unable to authenticate" in html
    assert not Subscription.objects.exists()
    assert emu.store.subscriptions == {}


@pytest.fixture
def renewal_needs_authentication(
    plans, owner_client, trial_over, emu, deliver, django_capture_on_commit_callbacks
):
    """On 3184 with the hub trial over: the free month ends, the renewal needs 3-D Secure."""
    profile = trial_over
    status, headers, _ = checkout_with_3ds(owner_client, emu, authenticate="complete")
    owner_client.get(headers["Location"].removeprefix("http://testserver"))
    emu.advance(seconds=31 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        deliver()
    return profile


def test_renewal_needing_authentication_puts_the_owner_in_grace_with_the_invoice_link(
    renewal_needs_authentication, emu
):
    profile = renewal_needs_authentication
    sub = Subscription.objects.get()
    invoice = emu.events("invoice.payment_action_required")[-1]["data"]["object"]
    assert sub.status == "past_due"
    assert entitlement_for(profile=profile).source == "grace"
    assert (sub.action_required_url, sub.action_required_amount) == (
        invoice["hosted_invoice_url"],
        1900,
    )
    assert billing_action_required(profile=profile) == ("£19.00", invoice["hosted_invoice_url"])
    # The owner's e-mail (notifications, via billing/signals.py) still goes, once.
    assert LifecycleEmail.objects.filter(
        profile=profile, kind=EmailKind.PAYMENT_ACTION_REQUIRED, subject_key=invoice["id"]
    ).exists()


def test_confirming_on_the_hosted_invoice_page_clears_it(
    renewal_needs_authentication, emu, deliver
):
    profile = renewal_needs_authentication
    url = Subscription.objects.get().action_required_url
    status, _, html = emulator_request(emu, "GET", url)
    assert status == 200 and 'id="authenticate-and-pay"' in html
    status, _, _ = emulator_request(
        emu, "POST", url, {"action": "authenticate", "authenticate": "complete"}
    )
    assert status == 303
    deliver()
    sub = Subscription.objects.get()
    assert sub.status == "active" and sub.action_required_url == ""
    assert billing_action_required(profile=profile) is None
    assert entitlement_for(profile=profile).source == "subscription"


def test_invoice_paid_before_action_required_leaves_nothing_to_confirm(
    plans, owner_client, trial_over, emu
):
    """Events out of order: ``payment_action_required`` arriving after ``invoice.paid``
    finds the invoice paid in Stripe and records nothing."""
    profile = trial_over
    status, headers, _ = checkout_with_3ds(owner_client, emu, authenticate="complete")
    owner_client.get(headers["Location"].removeprefix("http://testserver"))
    emu.advance(seconds=31 * DAY)
    invoice = emu.events("invoice.payment_action_required")[-1]["data"]["object"]
    emulator_request(
        emu,
        "POST",
        invoice["hosted_invoice_url"],
        {"action": "authenticate", "authenticate": "complete"},
    )
    client = Client()
    assert post_event(client, emu.events("invoice.paid")[-1]).status_code == 200
    assert post_event(client, emu.events("invoice.payment_action_required")[-1]).status_code == 200
    assert Subscription.objects.get().action_required_url == ""
    assert billing_action_required(profile=profile) is None


def test_nothing_to_confirm_without_a_waiting_subscription(owner_client):
    assert billing_action_required(profile=owner_client.profile) is None
    sub = SubscriptionFactory(
        profile=owner_client.profile,
        status="canceled",
        action_required_url="https://invoice.example/in_1",
        action_required_amount=1900,
        action_required_currency="gbp",
        stripe_created=timezone.now(),
    )
    assert billing_action_required(profile=owner_client.profile, subscription=sub) is None


def test_an_invoice_stripe_no_longer_has_is_read_from_the_signed_event(
    plans, owner_client, pay, deliver
):
    """Never a 500 (Stripe would retry for days): the signed payload stands in."""
    from billing import stripe_client

    pay("pro")
    deliver()
    sub = Subscription.objects.get()
    invoice = {
        "id": "in_gone",
        "object": "invoice",
        "customer": sub.stripe_customer_id,
        "amount_due": 1900,
        "currency": "gbp",
        "hosted_invoice_url": "https://invoice.stripe.test/i/in_gone",
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": sub.stripe_subscription_id, "metadata": {}},
        },
    }

    def event(event_id, event_type, obj):
        return {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "created": int(timezone.now().timestamp()),
            "livemode": False,
            "api_version": stripe_client.API_VERSION,
            "data": {"object": obj},
        }

    client = Client()
    response = post_event(client, event("evt_gone_1", "invoice.payment_action_required", invoice))
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.action_required_url == "https://invoice.stripe.test/i/in_gone"
    paid = dict(invoice, status="paid", amount_remaining=0)
    assert post_event(client, event("evt_gone_2", "invoice.paid", paid)).status_code == 200
    sub.refresh_from_db()
    assert sub.action_required_url == ""
