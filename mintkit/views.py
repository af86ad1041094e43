"""Project-level views that belong to no app: health check and error pages."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve


@never_cache
@require_GET
def healthz(request):
    """200 when the app can reach its database, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
