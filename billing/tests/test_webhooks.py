"""The webhook: signatures, exactly-once, ordering, unknown types and failures."""

import json
import time

from django.db import connection
from django.test import Client

import pytest

from billing.models import StripeEvent, Subscription
from billing.services import sync
from tests.concurrency import at_once
from tests.stripe_fixtures import post_event, signed_headers

pytestmark = pytest.mark.django_db


def _checkout_events(pay, emu):
    pay("pro")
    return {e["type"]: e for e in emu.events()}


def _sub_updated_event(emu, sub_id, status, created, cancel_at_period_end=False, eid="evt_x"):
    obj = json.loads(json.dumps(emu.store.subscriptions[sub_id]))
    obj["status"] = status
    obj["cancel_at_period_end"] = cancel_at_period_end
    return {
        "id": eid,
        "object": "event",
        "type": "customer.subscription.updated",
        "created": created,
        "data": {"object": obj},
        "livemode": False,
        "api_version": "2026-10-28.endive",
    }


def test_bad_or_missing_signature_is_400_and_changes_nothing(plans, owner_client, emu, client):
    owner_client.post("/billing/checkout/pro/")  # creates a customer, no subscription yet
    event = {
        "id": "evt_forged",
        "type": "customer.subscription.created",
        "created": 1,
        "data": {"object": {"id": "sub_forged", "status": "active"}},
    }
    payload = json.dumps(event)
    anon = Client()
    wrong = anon.post(
        "/billing/webhook/",
        payload,
        content_type="application/json",
        **signed_headers(payload, secret="whsec_wrong"),
    )
    missing = anon.post("/billing/webhook/", payload, content_type="application/json")
    tampered = anon.post(
        "/billing/webhook/",
        payload.replace("active", "trialing"),
        content_type="application/json",
        **signed_headers(payload),
    )
    assert [wrong.status_code, missing.status_code, tampered.status_code] == [400, 400, 400]
    assert not StripeEvent.objects.exists()
    assert not Subscription.objects.exists()


def test_timestamp_outside_tolerance_is_400(plans, pay, emu):
    events = _checkout_events(pay, emu)
    Subscription.objects.all().delete()
    old = post_event(
        Client(), events["customer.subscription.created"], timestamp=int(time.time()) - 301
    )
    assert old.status_code == 400
    assert not StripeEvent.objects.exists() and not Subscription.objects.exists()


def test_webhook_alone_records_subscription_and_same_event_twice_applies_once(
    plans, owner_client, emu, pay
):
    profile = owner_client.profile
    pay("pro", success=False)
    events = {e["type"]: e for e in emu.events()}
    hub = Client()  # Stripe, not the owner
    first = post_event(hub, events["checkout.session.completed"])
    assert first.status_code == 200 and first.json()["outcome"] == "applied"
    sub = Subscription.objects.get(profile=profile)
    assert sub.status == "trialing"
    stamp = sub.updated_at
    again = post_event(hub, events["checkout.session.completed"])
    assert again.status_code == 200
    row = StripeEvent.objects.get(stripe_id=events["checkout.session.completed"]["id"])
    assert row.attempts == 1 and row.outcome == "applied"
    sub.refresh_from_db()
    assert sub.updated_at == stamp  # not applied a second time
    assert StripeEvent.objects.count() == 1


def test_unknown_event_type_is_200_and_recorded(db, emu):
    event = {
        "id": "evt_unknown",
        "type": "charge.refund.updated",
        "created": 1,
        "data": {"object": {"id": "re_1"}},
        "livemode": False,
        "api_version": "2026-10-28.endive",
    }
    response = post_event(Client(), event)
    assert response.status_code == 200
    row = StripeEvent.objects.get(stripe_id="evt_unknown")
    assert row.outcome == "ignored" and row.type == "charge.refund.updated"


def test_older_event_never_overwrites_newer_state(
    plans, owner_client, pay, in_portal, emu, deliver
):
    pay("pro")
    deliver()
    sub = Subscription.objects.get()
    # The owner cancels at period end in the portal, then resumes: two updates.
    for action in ("cancel_at_period_end", "resume"):
        in_portal(action, subscription=sub.stripe_subscription_id)
    updates = [e for e in emu.events() if e["type"] == "customer.subscription.updated"]
    assert [u["data"]["object"]["cancel_at_period_end"] for u in updates] == [True, False]
    # The newest (resume) arrives first, the older (cancel) last: a handler that copied the
    # last payload would end up "set to cancel"; Stripe's state is "renews".
    for event in reversed(updates):
        assert post_event(Client(), event).status_code == 200
    sub.refresh_from_db()
    assert (sub.cancel_at_period_end, sub.cancel_at) == (False, None)
    page = owner_client.get("/studio/").content.decode()
    assert "Cancels on" not in page and "free until" in page


def test_older_payload_is_not_applied_when_stripe_no_longer_has_the_subscription(
    plans, pay, emu, deliver
):
    pay("pro")
    deliver()
    sub = Subscription.objects.get()
    newer = _sub_updated_event(
        emu, sub.stripe_subscription_id, "canceled", created=emu.now() + 100, eid="evt_newer"
    )
    older = _sub_updated_event(
        emu, sub.stripe_subscription_id, "active", created=emu.now() + 50, eid="evt_older"
    )
    emu.reset()  # Stripe forgets it: only the signed payloads remain
    assert post_event(Client(), newer).status_code == 200
    assert post_event(Client(), older).status_code == 200
    sub.refresh_from_db()
    assert sub.status == "canceled"


def test_failure_mid_processing_is_500_rolls_back_and_retry_applies(
    plans, owner_client, emu, monkeypatch, pay
):
    profile = owner_client.profile
    pay("pro", success=False)
    created = next(e for e in emu.events() if e["type"] == "customer.subscription.created")

    def broken(**kwargs):
        raise RuntimeError("disk full")

    # Fails after the subscription row has been written.
    monkeypatch.setattr(sync, "subscription_current_set", broken)
    failed = post_event(Client(), created)
    assert failed.status_code == 500
    assert not Subscription.objects.filter(profile=profile).exists()
    row = StripeEvent.objects.get(stripe_id=created["id"])
    assert row.outcome == "failed" and "disk full" in row.error

    monkeypatch.undo()  # Stripe retries the same event later
    retried = post_event(Client(), created)
    assert retried.status_code == 200
    row.refresh_from_db()
    assert row.outcome == "applied" and row.attempts == 2 and row.error == ""
    assert Subscription.objects.get(profile=profile).status == "trialing"


def test_stripe_unreachable_during_processing_is_500(plans, owner_client, emu, settings, pay):
    pay("pro", success=False)
    created = next(e for e in emu.events() if e["type"] == "customer.subscription.created")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    assert post_event(Client(), created).status_code == 500
    assert not Subscription.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks (CI runs on PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_same_event_delivered_concurrently_applies_once(plans, owner_client, emu, pay):
    profile = owner_client.profile
    pay("pro", success=False)
    event = next(e for e in emu.events() if e["type"] == "checkout.session.completed")
    statuses = at_once(2, lambda _: post_event(Client(), event).status_code)
    assert statuses == [200, 200]
    row = StripeEvent.objects.get(stripe_id=event["id"])
    assert row.attempts == 1 and row.outcome == "applied"
    assert Subscription.objects.filter(profile=profile).count() == 1
