"""A fixed-window request limit kept in the shared cache (Redis when ``REDIS_URL`` is set).

For machine APIs, where allauth's limits (the log-in and sign-up forms) do not apply. The
client's address is read the way allauth reads it for those limits, so
``ALLAUTH_TRUSTED_PROXY_COUNT`` means the same thing here.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from allauth.account.adapter import get_adapter


def client_ip(request: HttpRequest) -> str:
    try:
        ip = get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, ValueError):
        # A shorter X-Forwarded-For than our proxies would write: someone else's header.
        ip = None
    return ip or request.META.get("REMOTE_ADDR") or "unknown"


def rate_limit_hit(*, scope: str, ident: str, limit: int, window_seconds: int) -> int | None:
    """Count one request of ``ident`` in ``scope``; the seconds to wait if it is over ``limit``,
    else None."""
    now = int(time.time())
    window = now // window_seconds
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add() and incr()
            cache.add(key, 1, timeout=window_seconds + 1)
            count = 1
    if count > limit:
        return (window + 1) * window_seconds - now or 1
    return None
