"""Project-level views that belong to no app: health check, error pages, local media."""

import logging
import os
from pathlib import Path

from django.conf import settings
from django.http import Http404, JsonResponse
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


# Wagtail writes renditions to images/ and owners' original uploads to original_images/.
RENDITIONS_DIR = "images"
# Rendition names are a slug of at most ~60 characters plus the filter spec; anything much
# longer is not one of ours (and would make the file system raise "name too long").
MAX_MEDIA_PATH = 255


def rendition_relative_path(path: str) -> str | None:
    """``path`` (``images/<name>``, already URL-decoded once) as a name inside the
    renditions folder, or ``None`` when it is not plainly a file in that folder.

    Only the plain spelling passes: no ``.``/``..`` segments however they were encoded,
    no backslashes (a separator on Windows), no NUL or other control characters, no
    empty segments (``images//etc``), nothing absolute, nothing overlong.
    """
    if len(path) > MAX_MEDIA_PATH or not path.isprintable() or "\\" in path:
        return None
    head, _, rest = path.partition("/")
    if head != RENDITIONS_DIR or not rest:
        return None
    if any(part in ("", ".", "..") for part in rest.split("/")):
        return None
    return rest


@require_GET
def media_rendition(request, path):
    """A resized image rendition from local media (see ``SERVE_MEDIA``); nothing else.

    The file is looked up inside ``MEDIA_ROOT/images`` itself, so even a path that slipped
    past the checks could not name a file outside it (``serve`` refuses ``..``), and a
    symbolic link out of the folder is refused too.
    """
    name = rendition_relative_path(path)
    if name is None:
        raise Http404("Not a rendition.")
    root = Path(settings.MEDIA_ROOT) / RENDITIONS_DIR
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(root / name)]) != real_root:
        raise Http404("Not a rendition.")
    response = serve(request, name, document_root=root)
    # Rendition file names change whenever the image does, so they can be cached for long.
    response["Cache-Control"] = "public, max-age=2592000"
    return response
