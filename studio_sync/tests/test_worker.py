"""A real Celery worker (the one ``notifications/tests/test_worker.py`` starts, against the
machine's Redis) runs the beat job and the deliveries: the wiring the eager tests cannot
show — task names, the job finding a new business, the delivery queued from inside the
worker, and a retry under the same id."""

import json

from django.utils import timezone

import pytest

from notifications.tests.test_worker import _wait_for, worker  # noqa: F401 - the fixture
from studio_sync.models import StudioEvent
from tests.factories import ProfileFactory

from .conftest import SECRET
from .verify_sample import verify_studio_webhook


@pytest.fixture
def studio_worker(monkeypatch, receiver, request):
    """The worker, started with the Studio webhook pointing at the local receiver (this
    process keeps it unset, so nothing is delivered here)."""
    monkeypatch.setenv("MINTKIT_STUDIO_WEBHOOK_URL", receiver.url)
    monkeypatch.setenv("MINTKIT_SHARED_SECRET", SECRET)
    return request.getfixturevalue("worker")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_records_delivers_and_retries(studio_worker, receiver):
    client, _, proc = studio_worker
    receiver.script = ["500"]
    profile = ProfileFactory()  # signed up while this process had no URL: never reported

    # Beat's job finds the business and records it; the delivery it queues from inside the
    # worker arrives twice (on commit, and from the job's list of due events): one attempt.
    client.send_task("studio_sync.run")

    def attempted():
        assert proc.poll() is None, "the worker exited"
        return StudioEvent.objects.filter(attempts__gte=1).exists()

    _wait_for(attempted, what="the worker's first attempt")
    event = StudioEvent.objects.get(profile=profile)
    assert len(receiver.requests) == 1
    assert event.reason == "snapshot" and event.status == "retrying"
    assert event.last_status_code == 500

    StudioEvent.objects.update(next_attempt_at=timezone.now())  # the back-off has passed
    client.send_task("studio_sync.run")

    def delivered():
        assert proc.poll() is None, "the worker exited"
        return StudioEvent.objects.filter(status="delivered").exists()

    _wait_for(delivered, what="the worker's retry")
    event.refresh_from_db()
    assert event.attempts == 2 and StudioEvent.objects.count() == 1
    bodies = [
        verify_studio_webhook(payload=body, header=headers["MintKit-Signature"], secret=SECRET)
        for headers, body in receiver.requests
    ]
    assert [b["id"] for b in bodies] == [event.event_id] * 2
    assert json.loads(event.body)["external_id"] == profile.mintkit_access.external_id
