"""The Studio app's bearer key (``MINTKIT_API_KEY``): one check for every machine API."""

from __future__ import annotations

import functools
import hmac
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def api_key_valid(request: HttpRequest) -> bool:
    """Whether ``Authorization: Bearer <MINTKIT_API_KEY>`` is present, compared in constant time.

    An unset key never matches, so an unconfigured hub refuses every call.
    """
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    expected = settings.MINTKIT_API_KEY or ""
    return (
        scheme.lower() == "bearer"
        and bool(expected)
        and hmac.compare_digest(key.strip().encode(), expected.encode())
    )


def api_key_refused() -> JsonResponse:
    response = JsonResponse({"error": "invalid API key"}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="mintkit"'
    return response


def api_key_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """401 with a JSON reason unless the request carries the Studio's bearer key."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not api_key_valid(request):
            return api_key_refused()
        return view(request, *args, **kwargs)

    return wrapper
