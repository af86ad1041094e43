"""``POST /api/v1/studio/events``: the Studio reports a sale or a redemption."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing.selectors import mintkit_access_for_external_id
from core.api_keys import api_key_required
from core.ratelimit import client_ip, rate_limit_hit

from .payload import MAX_BODY_BYTES, EventInvalid, event_parse
from .services import record_studio_event

log = logging.getLogger(__name__)


def _too_many(request: HttpRequest) -> JsonResponse | None:
    """Per client address, counted before the key is checked, so guessing keys is slow too."""
    limit, window = settings.STUDIO_EVENTS_RATE_LIMIT
    wait = rate_limit_hit(
        scope="studio-events", ident=client_ip(request), limit=limit, window_seconds=window
    )
    if wait is None:
        return None
    response = JsonResponse({"error": "too many requests, slow down"}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _bad(reason: str) -> JsonResponse:
    return JsonResponse({"error": reason}, status=400)


# A machine API with a bearer key and no cookies: CSRF protection has nothing to protect.
@csrf_exempt
@require_POST
def studio_events(request: HttpRequest) -> HttpResponse:
    if refused := _too_many(request):
        return refused
    return _studio_event_receive(request)


@api_key_required
def _studio_event_receive(request: HttpRequest) -> HttpResponse:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return _bad(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        body = request.body
    except RequestDataTooBig:
        return _bad(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        event = event_parse(body=body, now=timezone.now())
    except EventInvalid as exc:
        return _bad(str(exc))
    access = mintkit_access_for_external_id(external_id=event.external_id)
    if access is None:
        return JsonResponse({"error": "unknown external id"}, status=404)
    try:
        row, created = record_studio_event(event=event, profile=access.profile)
    except EventInvalid as exc:
        return _bad(str(exc))
    if created:
        log.info("studio event %s stored (%s)", row.event_id, row.type)
    return JsonResponse(
        {"id": row.event_id, "status": "created" if created else "duplicate"},
        status=201 if created else 200,
    )
