"""A real Celery worker process against the machine's Redis (127.0.0.1:6379, database 11).

Proves the wiring the eager tests cannot: the ``mintkit`` Celery app starts, discovers the
tasks, takes messages from Redis, reaches the test's own database (``transaction=True``, so
the rows are committed and the worker sees them), retries a failed send with back-off, and
sends a duplicated message's e-mail once.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

import pytest
import redis
from celery import Celery

from notifications.models import EmailKind, LifecycleEmail
from tests.factories import ProfileFactory

BROKER_URL = os.environ.get("MINTKIT_TEST_BROKER_URL", "redis://127.0.0.1:6379/11")


def _database_url() -> str:
    """The URL of the database this test runs in (pytest-django's test database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _wait_for(predicate, *, timeout=60.0, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def worker(tmp_path):
    """A `celery -A mintkit worker` subprocess on a queue of its own; yields (client, mail dir)."""
    redis.Redis.from_url(BROKER_URL).ping()  # a clear failure if Redis is not running
    queue = f"mintkit-test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "notifications.tests.worker_settings",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_TEST_QUEUE": queue,
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mintkit",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    client = Celery("mintkit-test-client", broker=BROKER_URL)
    client.conf.task_default_queue = queue
    try:
        yield client, mail_dir, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        redis.Redis.from_url(BROKER_URL).delete(queue)
        print((tmp_path / "worker.log").read_text()[-3000:])  # shown if the test failed


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_queued_email_once_and_retries_a_failure(worker):
    client, mail_dir, proc = worker
    started = time.monotonic()
    profile = ProfileFactory(business_name="Worker & Sons")
    email = LifecycleEmail.objects.create(
        profile=profile, kind=EmailKind.WELCOME, subject_key="account", to_email=profile.user.email
    )
    (mail_dir / "fail-next").touch()  # the mail server is down for the first attempt

    client.send_task("notifications.email_deliver", kwargs={"email_id": email.pk})

    def sent():
        email.refresh_from_db()
        assert proc.poll() is None, "the worker exited"
        return email.status == LifecycleEmail.Status.SENT

    _wait_for(sent, what="the worker to send the e-mail")
    # The first attempt failed and was retried by the worker after its back-off.
    assert email.attempts == 2 and email.sent_at is not None
    assert not (mail_dir / "fail-next").exists()

    # The same message again (a duplicate, or a second worker): no second e-mail. Then the
    # beat job, run by the worker, queues a hub-trial reminder; the worker handles messages
    # in order, so once the reminder is sent the duplicate has been dealt with.
    client.send_task("notifications.email_deliver", kwargs={"email_id": email.pk})
    due = ProfileFactory(business_name="Trial Ending Ltd")
    due.trial_started_at = timezone.now() - timedelta(days=settings.HUB_TRIAL_DAYS, hours=-60)
    due.save()
    client.send_task("notifications.lifecycle_emails")

    def reminded():
        assert proc.poll() is None, "the worker exited"
        return LifecycleEmail.objects.filter(
            profile=due, kind=EmailKind.HUB_TRIAL_3_DAYS, status=LifecycleEmail.Status.SENT
        ).exists()

    _wait_for(reminded, what="the beat job's reminder")
    messages = [p.read_text() for p in mail_dir.glob("*.log")]
    body = "".join(messages)
    assert body.count("Subject: Welcome to MintKit Hub, Worker & Sons") == 1
    assert body.count("Subject: Your free trial ends on") == 1
    assert f"To: {profile.user.email}" in body
    email.refresh_from_db()
    assert email.attempts == 2
    print(f"real worker: e-mail sent after a retry in {time.monotonic() - started:.1f}s")
