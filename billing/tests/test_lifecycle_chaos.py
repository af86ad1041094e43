"""The subscription lifecycle with webhooks delivered the way Stripe may deliver them.

Each scenario of ``test_lifecycle.py`` / ``test_journeys.py`` runs twice against the local
emulator, with signed webhooks really POSTed to the live test server: once ``orderly`` (one
at a time, in creation order) and once in ``chaos`` mode (out of order, some twice, several
at once, each first attempt possibly retried on Stripe's back-off schedule). Both runs must
leave the hub in the same final state — ``EXPECTED`` — so the hub's webhook handling does not
depend on an order or uniqueness Stripe never promises.

Deliveries overlap (several at once) on PostgreSQL only: the live server shares the in-memory
SQLite test database's single connection between its threads, so concurrent requests would
interleave their transactions on it (a limit of the test set-up, not of the hub). On SQLite the
chaos emulator uses one delivery worker: out of order and duplicated, one at a time.

Checkout itself happens with webhooks off (the success page records the subscription): the
in-memory SQLite test database cannot take the success page's writes and webhook writes at
the same moment. Its events are then re-sent (``emu.resend()``, like ``stripe events
resend``) before the scenario moves the clock.
"""

from __future__ import annotations

from django.db import connection

import pytest

from billing.entitlements import entitlement_for
from billing.models import StripeEvent, Subscription
from stripe_emulator import EmulatorServer
from tests.stripe_fixtures import WEBHOOK_SECRET, emulator_request, hub_emulator

pytestmark = pytest.mark.django_db(transaction=True)

DAY = 86400


@pytest.fixture(scope="module")
def chaos_emulator():
    server = EmulatorServer(
        port=0,
        webhook_secret=WEBHOOK_SECRET,
        retry_base_delay=0.05,  # Stripe's first retry interval, compressed
        max_webhook_attempts=6,
        chaos=True,
        chaos_seed=20261126,
        chaos_workers=1 if connection.vendor == "sqlite" else 4,
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["orderly", "chaos"])
def emu(request, stripe_emulator, chaos_emulator, settings):
    """Overrides the project's ``emu``: the orderly session emulator or the chaos one."""
    server = chaos_emulator if request.param == "chaos" else stripe_emulator
    yield from hub_emulator(server, settings, timeout=10)


@pytest.fixture
def webhooks(emu, live_server):
    """``webhooks()``: deliver (or re-send) everything to the live server and wait."""

    def run():
        if emu.webhook_url is None:
            emu.set_webhook_url(f"{live_server.url}/billing/webhook/")
            emu.resend()
        assert emu.wait_for_webhooks(timeout=60), "webhooks still queued"

    return run


def hub_state(profile) -> dict:
    ent = entitlement_for(profile=profile)
    return {
        "subscriptions": sorted(
            (
                s.plan.slug,
                s.status,
                s.is_current,
                s.cancel_at_period_end,
                s.past_due_since is not None,
                s.trial_end is not None,
            )
            for s in Subscription.objects.filter(profile=profile).select_related("plan")
        ),
        "studio_access": ent.studio_access,
        "source": ent.source,
        "events_failed": StripeEvent.objects.filter(outcome=StripeEvent.Outcome.FAILED).count(),
        "events_stored_once": StripeEvent.objects.count()
        == len({*StripeEvent.objects.values_list("stripe_id", flat=True)}),
    }


def assert_chaos_happened(emu):
    """In chaos mode the run really saw duplicates and out-of-order deliveries."""
    if not emu.dispatcher.chaos:
        return
    sent = [d["event"] for d in emu.dispatcher.deliveries if d["status"] == 200]
    created = [e["id"] for e in emu.events()]
    assert set(sent) == set(created)
    assert len(sent) > len(set(sent)), "no duplicate delivery"
    first_seen = list(dict.fromkeys(sent))
    assert first_seen != created, "delivered in creation order"


# The end states (see hub_state): one Pro subscription, current, from a trial, never left
# past due; paid and giving access, or canceled without it.
PRO_PAID = {
    "subscriptions": [("pro", "active", True, False, False, True)],
    "studio_access": True,
    "source": "subscription",
}
PRO_CANCELED = {
    "subscriptions": [("pro", "canceled", True, False, False, True)],
    "studio_access": False,
    "source": None,
}
EXPECTED = {
    "trial_converts_and_renews": PRO_PAID,
    "failing_card_ends_canceled": PRO_CANCELED,
    "portal_card_update_recovers": PRO_PAID,
    "three_d_secure_renewal_paid_on_invoice_page": PRO_PAID,
    # ... and this one had been set to cancel at the period's end.
    "cancel_at_period_end_then_deleted": {
        **PRO_CANCELED,
        "subscriptions": [("pro", "canceled", True, True, False, True)],
    },
}


def check(profile, emu, scenario):
    state = hub_state(profile)
    assert state.pop("events_failed") == 0  # retried until applied
    assert state.pop("events_stored_once")
    assert state == EXPECTED[scenario]
    assert_chaos_happened(emu)


def test_trial_converts_to_active_and_renews(plans, trial_over, pay, emu, webhooks):
    pay("pro")
    webhooks()
    emu.advance(seconds=31 * DAY)
    webhooks()
    emu.advance(seconds=31 * DAY)
    webhooks()
    check(trial_over, emu, "trial_converts_and_renews")


def test_failing_card_goes_past_due_then_canceled(plans, trial_over, pay, emu, webhooks):
    pay("pro", card="4000 0000 0000 0341")
    webhooks()
    emu.advance(seconds=31 * DAY)
    webhooks()
    assert Subscription.objects.get().status == "past_due"
    emu.advance(seconds=15 * DAY)  # the 8th attempt (two weeks on) fails: Stripe cancels
    webhooks()
    check(trial_over, emu, "failing_card_ends_canceled")


def test_portal_card_update_recovers_past_due(plans, trial_over, pay, in_portal, emu, webhooks):
    pay("pro", card="4000 0000 0000 0341")
    webhooks()
    emu.advance(seconds=31 * DAY)
    webhooks()
    in_portal("update_card", card_number="4242424242424242")
    webhooks()
    check(trial_over, emu, "portal_card_update_recovers")


def test_cancel_at_period_end_then_deleted(plans, trial_over, pay, in_portal, emu, webhooks):
    pay("pro")
    webhooks()
    sub = Subscription.objects.get()
    in_portal("cancel_at_period_end", subscription=sub.stripe_subscription_id)
    webhooks()
    assert Subscription.objects.get().cancel_at_period_end
    emu.advance(seconds=31 * DAY)
    webhooks()
    check(trial_over, emu, "cancel_at_period_end_then_deleted")


def test_three_d_secure_renewal_paid_on_the_hosted_invoice_page(
    plans, trial_over, owner_client, emu, webhooks
):
    """emu-billing's events under chaos: an off-session renewal on 4000 0027 6000 3184 needs
    authentication (invoice.payment_action_required, payment_intent.requires_action,
    past_due), the owner pays on the hosted invoice page (invoice.paid, active); then a
    refund and a dispute (charge.refunded, charge.dispute.created/closed), which the hub
    stores without failing."""
    card = "4000 0027 6000 3184"
    checkout = owner_client.post("/billing/checkout/pro/")
    status, _, html = emulator_request(emu, "POST", checkout["Location"], {"card_number": card})
    assert status == 200 and 'id="authenticate-complete"' in html
    status, headers, _ = emulator_request(
        emu, "POST", checkout["Location"], {"card_number": card, "authenticate": "complete"}
    )
    assert status == 303
    owner_client.get(headers["Location"].removeprefix("http://testserver"))
    webhooks()
    emu.advance(seconds=31 * DAY)  # trial over; the renewal's draft hour; requires_action
    webhooks()
    assert Subscription.objects.get().status == "past_due"
    required = emu.events("invoice.payment_action_required")[-1]["data"]["object"]
    status, _, _ = emulator_request(
        emu,
        "POST",
        required["hosted_invoice_url"],
        {"action": "authenticate", "authenticate": "complete"},
    )
    assert status == 303
    webhooks()
    with emu.store.lock:
        charge = [c for c in emu.store.charges.values() if c["status"] == "succeeded"][-1]["id"]
    for path, data in [
        (f"/_emulator/charges/{charge}/refund", {"amount": "100"}),
        (f"/_emulator/charges/{charge}/dispute", {}),
    ]:
        assert emulator_request(emu, "POST", f"{emu.url}{path}", data)[0] == 200
    dispute = emu.events("charge.dispute.created")[-1]["data"]["object"]["id"]
    url = f"{emu.url}/_emulator/disputes/{dispute}/close"
    assert emulator_request(emu, "POST", url, {"outcome": "won"})[0] == 200
    webhooks()
    types = {e["type"] for e in emu.events()}
    assert {
        "invoice.payment_action_required",
        "invoice.paid",
        "charge.refunded",
        "charge.dispute.created",
        "charge.dispute.closed",
    } <= types
    check(trial_over, emu, "three_d_secure_renewal_paid_on_invoice_page")
