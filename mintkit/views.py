"""Project-level views that belong to no app: health check and error pages."""

import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from core.health import broker_probe, cache_probe, database_probe

log = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the app can reach its database, 503 when it cannot.

    ``?deep=1`` also checks the cache (Redis when configured) and the worker's broker, and
    names each one that failed. The plain check stays one cheap query for the load balancer.
    """
    probes = {"database": database_probe()}
    if request.GET.get("deep") == "1":
        probes["cache"] = cache_probe()
        broker = broker_probe()
        if broker is not None:
            probes["broker"] = broker
    failed = [name for name, probe in probes.items() if not probe.ok]
    if failed:
        log.warning(
            "health check failed: %s", ", ".join(f"{name} {probes[name].detail}" for name in failed)
        )
    body = {"status": "error" if failed else "ok"}
    body.update({name: "ok" if probe.ok else "error" for name, probe in probes.items()})
    return JsonResponse(body, status=503 if failed else 200)


def server_error(request):
    """500 page in the site's layout, rendered without context processors that hit the DB."""
    return render(request, "500.html", status=500)


@require_GET
def media_rendition(request, path):
    """A resized image rendition from local media (see ``SERVE_MEDIA``)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # Rendition file names change whenever the image does, so they can be cached for long.
    response["Cache-Control"] = "public, max-age=2592000"
    return response
