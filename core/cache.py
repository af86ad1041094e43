"""Django's Redis cache backend, with one Redis client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call,
and each one fills a table of about 170 response callbacks: 0.13 ms of CPU per call,
measured in-process (docs/PERFORMANCE.md, "What limits each figure now"), which was a
third of a cached storefront page's time. A ``redis.Redis`` is safe to share between
threads and hands out connections from its pool, so one per pool is enough; after a fork
the pool notices the new process id and opens its own connections.

Settings use it as ``"BACKEND": "core.cache.RedisCache"`` when ``REDIS_URL`` is set.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
