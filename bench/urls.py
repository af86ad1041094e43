"""The site's URLs plus ``/_bench/bare``: a bare ``HttpResponse`` through the full middleware,
the reference the load benchmark divides by. Used only by ``bench.settings``."""

from django.http import HttpResponse
from django.urls import path

from mintkit.urls import urlpatterns as site_urlpatterns

handler500 = "mintkit.views.server_error"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/bare", bare, name="bench_bare"), *site_urlpatterns]
