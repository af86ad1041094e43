"""core.cache.RedisCache: Django's Redis cache with one client per connection pool."""

import uuid

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

import pytest
import redis

from core.cache import RedisCache

LIVE_REDIS = "redis://127.0.0.1:6379/13"


@pytest.fixture
def live_cache():
    connection = redis.Redis.from_url(LIVE_REDIS)
    connection.ping()  # Redis is part of the test environment: fail loudly, never skip
    prefix = f"mintkit-cache-test-{uuid.uuid4().hex}"
    yield RedisCache(LIVE_REDIS, {"KEY_PREFIX": prefix})
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)


def test_it_stores_reads_and_deletes_like_djangos_backend(live_cache):
    assert isinstance(live_cache, DjangoRedisCache)
    live_cache.set("page", {"body": "<p>hi</p>"}, 30)
    assert live_cache.add("page", "other", 30) is False  # add never overwrites
    assert live_cache.get_many(["page", "missing"]) == {"page": {"body": "<p>hi</p>"}}
    live_cache.delete_many(["page"])
    assert live_cache.get("page") is None
    assert live_cache.add("n", 1) is True
    assert live_cache.incr("n") == 2


def test_every_call_shares_one_redis_client_instead_of_building_one(live_cache):
    client = live_cache._cache
    first = client.get_client(write=True)
    for _ in range(3):
        live_cache.get("anything")
    assert client.get_client() is first
    assert client.get_client(write=True) is first
