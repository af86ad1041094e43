"""Delivery to a real local receiver: signature, retries with back-off, idempotency, and a
receiver that hangs, redirects or answers garbage."""

import json
from datetime import timedelta

from django.utils import timezone

import pytest

from billing.entitlements import entitlement_for
from studio_sync import services
from studio_sync.models import StudioEvent, StudioSyncState
from tests.factories import ProfileFactory

from .conftest import SECRET, Receiver
from .verify_sample import verify_studio_webhook

pytestmark = pytest.mark.django_db


def test_a_new_owner_is_announced_to_the_studio_with_a_valid_signature(studio, profile):
    assert len(studio.requests) == 1
    headers, body = studio.requests[0]
    event = verify_studio_webhook(payload=body, header=headers["MintKit-Signature"], secret=SECRET)
    assert event["type"] == "entitlement.updated" and event["reason"] == "trial_started"
    assert event["external_id"] == profile.mintkit_access.external_id
    assert event["entitlement"] == entitlement_for(profile=profile).as_json()
    assert event["entitlement"]["studio_access"] is True
    assert event["sequence"] == 1 and isinstance(event["created"], int)
    assert headers["Content-Type"] == "application/json"
    assert headers["MintKit-Event-Id"] == event["id"]
    row = StudioEvent.objects.get()
    assert row.event_id == event["id"] and row.status == "delivered"
    assert row.attempts == 1 and row.last_status_code == 200
    # The Studio has not been opened yet: the id exists, no visit is counted.
    assert profile.mintkit_access.access_count == 0
    assert profile.mintkit_access.first_access_at is None


def test_500_then_200_is_retried_with_back_off_under_the_same_id(studio, committed):
    studio.script = ["500", "500"]
    with committed():
        ProfileFactory()
    event = StudioEvent.objects.get()
    assert event.status == "retrying" and event.attempts == 1
    assert event.last_status_code == 500 and "HTTP 500" in event.last_error
    first_wait = event.next_attempt_at - event.last_attempt_at
    assert first_wait == timedelta(seconds=60)

    # Before the back-off has passed the periodic job leaves it alone.
    early = event.last_attempt_at + timedelta(seconds=30)
    services.studio_sync_run(now=early)
    assert len(studio.requests) == 1

    second = event.next_attempt_at + timedelta(seconds=1)
    services.studio_sync_run(now=second)
    event.refresh_from_db()
    assert event.status == "retrying" and event.attempts == 2
    assert event.next_attempt_at - second == timedelta(minutes=5)  # the wait grows

    services.studio_sync_run(now=event.next_attempt_at)
    event.refresh_from_db()
    assert event.status == "delivered" and event.attempts == 3
    assert event.last_status_code == 200 and event.last_error == ""
    assert [entry["status_code"] for entry in event.attempt_log] == [500, 500, 200]
    assert "next_attempt_at" in event.attempt_log[0]
    ids = {json.loads(body)["id"] for _, body in studio.requests}
    assert ids == {event.event_id}  # redelivery keeps the id
    assert len(studio.requests) == 3
    # Delivered: nothing more is sent, whatever runs later.
    services.studio_sync_run(now=event.next_attempt_at or second + timedelta(days=1))
    assert len(studio.requests) == 3


def test_gives_up_after_the_last_attempt(studio, committed):
    studio.script = ["500"] * 10
    with committed():
        ProfileFactory()
    event = StudioEvent.objects.get()
    now = timezone.now()
    for _ in range(services.MAX_ATTEMPTS + 2):
        now += timedelta(hours=7)
        services.event_deliver(event_pk=event.pk, now=now)
    event.refresh_from_db()
    assert event.status == "gave_up" and event.attempts == services.MAX_ATTEMPTS
    assert len(studio.requests) == services.MAX_ATTEMPTS
    assert event.next_attempt_at is None


def test_the_same_change_twice_records_one_event(studio, profile):
    assert services.entitlement_sync(profile_id=profile.pk) is None
    assert services.entitlement_sync(profile_id=profile.pk) is None
    services.studio_sync_run(now=timezone.now() + timedelta(days=2))  # the trial still runs
    assert StudioEvent.objects.filter(reason="trial_started").count() == 1


def test_resend_delivers_the_same_id_again(studio, profile, committed):
    event = StudioEvent.objects.get()
    with committed():
        services.event_resend(event=event)
    event.refresh_from_db()
    assert event.status == "delivered" and StudioEvent.objects.count() == 1
    assert [json.loads(body)["id"] for _, body in studio.requests] == [event.event_id] * 2


def test_unset_url_records_and_queues_nothing(settings, receiver, committed, plans):
    settings.MINTKIT_STUDIO_WEBHOOK_URL = None
    with committed():
        profile = ProfileFactory()
    assert services.entitlement_sync(profile_id=profile.pk) is None
    assert services.studio_sync_run(now=timezone.now() + timedelta(days=30)) == {
        "checked": 0,
        "recorded": 0,
        "queued": 0,
    }
    assert not StudioEvent.objects.exists() and not StudioSyncState.objects.exists()
    assert receiver.requests == []


# -- hostile receivers -----------------------------------------------------------------------


def _signup_event(studio, committed, answer):
    """The Studio will answer ``answer`` (see the ``studio`` fixture); a business signs up:
    the event it is told of, after the first attempt."""
    studio.script = [answer]
    with committed():
        ProfileFactory()
    return StudioEvent.objects.get()


def test_a_receiver_that_hangs_times_out_and_is_retried(studio, committed):
    event = _signup_event(studio, committed, "hang")
    assert event.status == "retrying" and event.last_status_code is None
    assert "timed out" in event.last_error
    services.studio_sync_run(now=event.next_attempt_at)
    event.refresh_from_db()
    assert event.status == "delivered" and event.attempts == 2


def test_a_redirect_is_not_followed(studio, committed):
    with Receiver() as elsewhere:
        event = _signup_event(studio, committed, f"redirect:{elsewhere.url}")
        assert event.status == "retrying" and event.last_status_code == 302
        assert "redirect to 127.0.0.1:" in event.last_error and "not followed" in event.last_error
        assert elsewhere.requests == []  # the signed body never went anywhere else


def test_a_receiver_answering_garbage_is_a_failed_attempt(studio, committed):
    event = _signup_event(studio, committed, "garbage")
    assert event.status == "retrying" and event.last_status_code is None
    assert event.last_error  # e.g. ConnectionError: BadStatusLine


def test_a_2xx_with_a_garbage_body_counts_as_delivered(studio, committed):
    assert _signup_event(studio, committed, "200-garbage").status == "delivered"


def test_an_unreachable_studio_is_a_failed_attempt(settings, studio, committed):
    closed = Receiver()
    settings.MINTKIT_STUDIO_WEBHOOK_URL = closed.url  # bound, never listening
    closed.server.server_close()
    with committed():
        ProfileFactory()
    event = StudioEvent.objects.get()
    assert event.status == "retrying" and "ConnectionError" in event.last_error
