"""/healthz stays cheap; ?deep=1 also checks the cache and the broker and names what failed."""

import pytest

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
LIVE_REDIS = "redis://127.0.0.1:6379/13"


def _redis_cache(settings, url):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "mintkit-ops-test",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    settings.REDIS_URL = url
    settings.CELERY_BROKER_URL = url  # the broker is read from settings at start-up


def _deep_health(client):
    """(status code, body) of ``/healthz?deep=1``."""
    response = client.get("/healthz?deep=1")
    return response.status_code, response.json()


def test_deep_health_names_the_cache_and_broker_when_redis_is_down(client, settings):
    _redis_cache(settings, DEAD_REDIS)
    assert _deep_health(client) == (
        503,
        {"status": "error", "database": "ok", "cache": "error", "broker": "error"},
    )


def test_plain_health_stays_cheap_and_ignores_the_cache(
    client, settings, django_assert_num_queries
):
    _redis_cache(settings, DEAD_REDIS)
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_deep_health_is_ok_with_a_live_redis(client, settings):
    _redis_cache(settings, LIVE_REDIS)
    response = client.get("/healthz?deep=1")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_a_broker_of_its_own_is_checked_separately_from_the_cache(client, settings):
    settings.REDIS_URL = None  # local-memory cache
    settings.CELERY_BROKER_URL = DEAD_REDIS
    assert _deep_health(client) == (
        503,
        {"status": "error", "database": "ok", "cache": "ok", "broker": "error"},
    )


def test_without_a_broker_deep_health_checks_the_cache_only(client, settings):
    settings.REDIS_URL = None
    settings.CELERY_BROKER_URL = None
    assert _deep_health(client)[1] == {"status": "ok", "database": "ok", "cache": "ok"}
