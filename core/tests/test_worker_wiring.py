"""The worker's heartbeat and the request id that travels with a task (issue 18)."""

import time
import uuid
from types import SimpleNamespace

from django.core.cache import cache

import pytest

from core.health import WORKER_HEARTBEAT_KEY, worker_heartbeat
from core.tasks import worker_heartbeat_write
from mintkit.celery import (
    REQUEST_ID_HEADER,
    _request_id_attach,
    _request_id_enter,
    _request_id_leave,
)
from mintkit.logging import RequestContext, request_context, request_id_get
from notifications.tests.test_worker import _wait_for, worker  # noqa: F401 - the fixture


def test_the_heartbeat_task_makes_the_worker_check_pass():
    cache.delete(WORKER_HEARTBEAT_KEY)
    assert not worker_heartbeat().ok
    worker_heartbeat_write.delay()  # eager here: no broker in the test settings
    probe = worker_heartbeat()
    assert probe.ok, probe.detail
    assert abs(cache.get(WORKER_HEARTBEAT_KEY) - time.time()) < 5


def test_beat_sends_the_heartbeat_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry == {"task": "core.worker_heartbeat", "schedule": 60}


def test_a_task_queued_in_a_request_runs_with_that_request_id():
    headers: dict = {}
    token = request_context.set(RequestContext(request_id="req-abc-123", path="/", method="GET"))
    try:
        _request_id_attach(headers=headers)
    finally:
        request_context.reset(token)
    assert headers == {REQUEST_ID_HEADER: "req-abc-123"}

    # In the worker: no request context until the task starts, the sender's id while it runs.
    task = SimpleNamespace(name="core.worker_heartbeat", request=SimpleNamespace(**headers))
    assert request_id_get() is None
    _request_id_enter(task=task, task_id="task-1")
    assert request_id_get() == "req-abc-123"
    _request_id_leave(task=task)
    assert request_id_get() is None


def test_a_task_queued_outside_a_request_logs_its_own_task_id():
    headers: dict = {}
    _request_id_attach(headers=headers)
    assert headers == {}
    task = SimpleNamespace(name="core.worker_heartbeat", request=SimpleNamespace())
    _request_id_enter(task=task, task_id="task-42")
    assert request_id_get() == "task-42"
    _request_id_leave(task=task)
    assert request_id_get() is None


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_logs_the_queuing_request_id(worker):  # noqa: F811 - the fixture
    client, mail_dir, proc = worker
    request_id = f"req-{uuid.uuid4().hex[:16]}"
    client.send_task("core.worker_heartbeat", headers={REQUEST_ID_HEADER: request_id})
    log = mail_dir.parent / "worker.log"

    def logged():
        assert proc.poll() is None, "the worker exited"
        return any(
            f"[{request_id}]" in line and "succeeded" in line
            for line in log.read_text().splitlines()
        )

    _wait_for(logged, what="the worker's log line for the task")
