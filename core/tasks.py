"""The worker's own housekeeping tasks."""

import time

from django.core.cache import cache

from celery import shared_task

from .health import WORKER_HEARTBEAT_KEY


@shared_task(name="core.worker_heartbeat", ignore_result=True)
def worker_heartbeat_write() -> float:
    """Record that a worker is taking messages (beat sends this every minute).

    ``python manage.py doctor`` and ``core.health.worker_heartbeat`` read the time back: a
    heartbeat older than five minutes means no worker (or no beat) is running.
    """
    now = time.time()
    cache.set(WORKER_HEARTBEAT_KEY, now, timeout=None)
    return now
