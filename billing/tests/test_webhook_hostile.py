"""Hostile webhook deliveries (issue 10, point 5): every one correctly signed with Stripe's
HMAC scheme, so only the hub's own checks stand between it and the database.

Timestamps outside 300 s either way, bodies that are not a Stripe event object, a livemode
that does not match the secret key's mode and an api_version other than the pinned one are
all refused with 400 and change nothing.
"""

import hashlib
import hmac
import json
import logging
import time

from django.test import Client

import pytest

from billing import stripe_client
from billing.models import StripeEvent, Subscription
from tests.stripe_fixtures import WEBHOOK_SECRET, post_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def created_event(plans, pay, emu):
    """A genuine ``customer.subscription.created`` from the emulator whose effect has been
    undone: delivering it (when accepted) would record the subscription again."""
    pay("pro")
    event = next(e for e in emu.events() if e["type"] == "customer.subscription.created")
    Subscription.objects.all().delete()
    StripeEvent.objects.all().delete()
    return event


def nothing_changed():
    return not Subscription.objects.exists() and not StripeEvent.objects.exists()


def post_raw(body: bytes, *, timestamp=None, secret=WEBHOOK_SECRET):
    """POST raw bytes signed as Stripe signs: HMAC-SHA256 of ``"{t}.{body}"``."""
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return Client().post(
        "/billing/webhook/",
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={t},v1={mac}",
    )


@pytest.mark.parametrize("offset", [301, 600, 3600, 86400 * 365, -301, -3600, -86400 * 365])
def test_a_timestamp_outside_the_tolerance_either_way_is_refused(created_event, offset):
    response = post_event(Client(), created_event, timestamp=int(time.time()) + offset)
    assert response.status_code == 400
    assert nothing_changed()


@pytest.mark.parametrize("timestamp", [0, -1, 10**12, 2**63])
def test_an_absurd_timestamp_is_refused(created_event, timestamp):
    assert post_event(Client(), created_event, timestamp=timestamp).status_code == 400
    assert nothing_changed()


@pytest.mark.parametrize("offset", [-290, 290])
def test_a_timestamp_inside_the_tolerance_is_applied(created_event, offset):
    """The control: the same event a little early or late (clock skew) is applied."""
    response = post_event(Client(), created_event, timestamp=int(time.time()) + offset)
    assert response.status_code == 200
    assert Subscription.objects.count() == 1


NOT_AN_OBJECT = [
    b"[]",
    b'[{"id": "evt_1", "type": "customer.subscription.created"}]',
    b'"customer.subscription.created"',
    b"123",
    b"-1.5e308",
    b"1e999",
    b"null",
    b"true",
    b"NaN",
    b"",
    b" ",
    b"{",
    b'{"id": "evt_1"} trailing',
    b"\xff\xfe{}",
    b'{"id": "evt_\xc3\x28"}',
    b"\x00",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
]


@pytest.mark.parametrize("body", NOT_AN_OBJECT, ids=lambda b: repr(b[:20]))
def test_a_signed_body_that_is_not_a_json_object_is_400(db, emu, body):
    response = post_raw(body)
    assert response.status_code == 400
    assert "error" in response.json()
    assert not StripeEvent.objects.exists()


NOT_AN_EVENT = [
    {},
    {"id": "evt_1"},
    {"id": "evt_1", "type": "customer.subscription.created"},
    {"id": 1, "type": "x", "created": 1, "data": {"object": {}}},
    {"id": "", "type": "x", "created": 1, "data": {"object": {}}},
    {"id": "evt_1", "type": None, "created": 1, "data": {"object": {}}},
    {"id": "evt_1", "type": ["x"], "created": 1, "data": {"object": {}}},
    {"id": "evt_1", "type": "x", "created": "1", "data": {"object": {}}},
    {"id": "evt_1", "type": "x", "created": True, "data": {"object": {}}},
    {"id": "evt_1", "type": "x", "created": 1.5, "data": {"object": {}}},
    {"id": "evt_1", "type": "x", "created": 1, "data": []},
    {"id": "evt_1", "type": "x", "created": 1, "data": {"object": "sub_1"}},
    {"id": {"$gt": ""}, "type": "x", "created": 1, "data": {"object": {}}},
]


@pytest.mark.parametrize("event", NOT_AN_EVENT, ids=lambda e: json.dumps(e)[:40])
def test_a_signed_object_that_is_not_a_stripe_event_is_400(db, emu, event):
    event = {"livemode": False, "api_version": stripe_client.API_VERSION, **event}
    assert post_raw(json.dumps(event).encode()).status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_huge_body_is_400_before_it_is_parsed(created_event):
    event = dict(created_event, padding="x" * (stripe_client.WEBHOOK_MAX_BYTES + 1))
    assert post_event(Client(), event).status_code == 400
    assert nothing_changed()
    # Seven megabytes: beyond Django's own upload limit too.
    assert post_raw(b'{"x": "' + b"y" * (7 * 1024 * 1024) + b'"}').status_code == 400


def _refused(event, caplog):
    """Post ``event``: refused with 400, nothing changed. Returns (response, the records
    ``billing.views`` logged)."""
    with caplog.at_level(logging.WARNING, logger="billing.views"):
        response = post_event(Client(), event)
    assert response.status_code == 400
    assert nothing_changed()
    return response, [r for r in caplog.records if r.name == "billing.views"]


@pytest.mark.parametrize("livemode", [True, None, "false", 0, "live"])
def test_a_livemode_other_than_the_test_key_s_is_refused_and_logged(
    created_event, caplog, livemode
):
    response, logged = _refused(dict(created_event, livemode=livemode), caplog)
    assert "livemode" in response.json()["error"]
    assert logged and logged[0].levelno == logging.ERROR and "livemode" in logged[0].getMessage()


def test_a_test_mode_event_is_refused_by_a_live_key(created_event, settings, caplog):
    settings.STRIPE_SECRET_KEY = "sk_live_xxxxxxxx"
    with caplog.at_level(logging.ERROR, logger="billing.views"):
        response = post_event(Client(), created_event)
    assert response.status_code == 400
    assert nothing_changed()
    assert "live mode" in caplog.text
    settings.STRIPE_SECRET_KEY = "rk_live_xxxxxxxx"  # a restricted live key is live too
    assert post_event(Client(), created_event).status_code == 400
    # ... and a live event is what a live key accepts (a type the hub records without
    # asking Stripe, which the emulator would refuse for a live key).
    live = dict(created_event, livemode=True, id="evt_live", type="charge.refund.updated")
    assert post_event(Client(), live).status_code == 200
    assert StripeEvent.objects.get().stripe_id == "evt_live"


@pytest.mark.parametrize(
    "api_version", ["2020-08-27", "2026-09-30.clover", "", None, 20261028, "2026-10-28"]
)
def test_an_api_version_other_than_the_pinned_one_is_refused_loudly(
    created_event, caplog, api_version
):
    _, logged = _refused(dict(created_event, api_version=api_version), caplog)
    assert logged[0].levelno == logging.ERROR
    assert f"is not the pinned {stripe_client.API_VERSION}" in logged[0].getMessage()


def test_an_event_without_api_version_is_refused(created_event):
    event = {k: v for k, v in created_event.items() if k != "api_version"}
    assert post_event(Client(), event).status_code == 400
    assert nothing_changed()


def test_the_pinned_version_is_the_sdk_s_and_the_emulator_s():
    import stripe

    from stripe_emulator import API_VERSION as EMULATOR_VERSION

    assert stripe_client.API_VERSION == stripe.api_version == EMULATOR_VERSION


def test_a_refused_delivery_is_applied_when_stripe_retries_it_properly(created_event):
    """Refusing (4xx) stores nothing, so Stripe's retry of the real event still applies."""
    assert post_event(Client(), created_event, timestamp=int(time.time()) + 3600).status_code == 400
    assert post_event(Client(), created_event).status_code == 200
    assert Subscription.objects.count() == 1
