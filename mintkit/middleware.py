"""Request ids and the access log.

``RequestIdMiddleware`` comes first in ``MIDDLEWARE``. It takes the router's ``X-Request-ID``
(Heroku's router sets one: a UUID) when it is sane — 8 to 128 characters of letters, digits and
``-_.:`` — and otherwise makes a new one, so a hostile header can neither forge log structure
nor flood the logs. The id is on ``request.request_id`` (the 500 page shows it), in every log
line written while the request runs (``mintkit.logging.RequestContextFilter``) and in the
response's ``X-Request-ID`` header. After the response, one access-log line on the
``mintkit.request`` logger gives method, path, status, duration and the user id if the request
looked its user up.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from .logging import RequestContext, _loaded_user_id, request_context

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")

access_log = logging.getLogger("mintkit.request")


def request_id_from(value: str | None) -> str:
    """The router's id when it is sane, otherwise a fresh one."""
    if value and _SANE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = request_context.set(
            RequestContext(
                request_id=request_id, path=request.path, method=request.method, request=request
            )
        )
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            # WARNING, not ERROR, for a 5xx: django.request already logs the error itself.
            level = logging.WARNING if response.status_code >= 500 else logging.INFO
            access_log.log(
                level,
                "%s %s %s %.1fms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _loaded_user_id(request),
                },
            )
            return response
        finally:
            request_context.reset(token)
