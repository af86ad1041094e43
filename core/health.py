"""Probes for the health check and ``doctor``: each answers ``Probe(ok, detail)`` and never
raises, so one broken dependency is reported by name instead of turning into a 500.

The worker writes its heartbeat (a Unix time) to the cache key ``WORKER_HEARTBEAT_KEY``
every minute; ``worker_heartbeat`` reads it back.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError, connection

import redis

log = logging.getLogger(__name__)

PROBE_TIMEOUT_SECONDS = 2
WORKER_HEARTBEAT_KEY = "mintkit:worker:heartbeat"
WORKER_HEARTBEAT_STALE_SECONDS = 5 * 60


@dataclass(frozen=True)
class Probe:
    ok: bool
    detail: str


def database_probe() -> Probe:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Probe(False, f"unreachable ({exc.__class__.__name__})")
    return Probe(True, f"reachable ({connection.vendor})")


def cache_probe() -> Probe:
    """A write and a read-back through Django's cache (Redis when ``REDIS_URL`` is set)."""
    key = f"mintkit:probe:{uuid.uuid4().hex}"
    backend = caches["default"].__class__.__name__
    try:
        cache.set(key, "ok", 10)
        answered = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # noqa: BLE001 - any backend failure means "cache down"
        return Probe(False, f"{backend} unreachable ({exc.__class__.__name__})")
    if answered != "ok":
        return Probe(False, f"{backend} did not keep a value")
    return Probe(True, f"{backend} reachable")


def broker_url() -> str | None:
    """The worker's broker: ``CELERY_BROKER_URL``, else ``REDIS_URL``, else None (eager)."""
    return getattr(settings, "CELERY_BROKER_URL", None) or settings.REDIS_URL or None


def redis_ping(url: str) -> Probe:
    options = {
        "socket_connect_timeout": PROBE_TIMEOUT_SECONDS,
        "socket_timeout": PROBE_TIMEOUT_SECONDS,
    }
    if url.startswith("rediss://"):
        options["ssl_cert_reqs"] = None  # Heroku Redis presents a self-signed certificate
    try:
        client = redis.Redis.from_url(url, **options)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as exc:
        return Probe(False, f"unreachable ({exc.__class__.__name__})")
    return Probe(True, "Redis reachable")


def broker_probe() -> Probe | None:
    """None when no broker is configured (tasks run eagerly in the web process)."""
    url = broker_url()
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://")):
        return Probe(True, f"{url.split(':', 1)[0]} broker not probed")
    return redis_ping(url)


def worker_heartbeat(*, now: float | None = None) -> Probe:
    try:
        beat = cache.get(WORKER_HEARTBEAT_KEY)
    except Exception as exc:  # noqa: BLE001 - the cache being down is reported by cache_probe
        return Probe(False, f"cannot read the heartbeat ({exc.__class__.__name__})")
    if beat is None:
        return Probe(False, f"no heartbeat recorded (cache key {WORKER_HEARTBEAT_KEY})")
    try:
        age = (now if now is not None else time.time()) - float(beat)
    except (TypeError, ValueError):
        return Probe(False, f"unreadable heartbeat {beat!r}")
    if age > WORKER_HEARTBEAT_STALE_SECONDS:
        return Probe(False, f"last heartbeat {age / 60:.0f} min ago (stale)")
    return Probe(True, f"last heartbeat {max(age, 0):.0f} s ago")
