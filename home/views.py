from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views

# Private areas crawlers should leave alone (owner, billing, admin and API URLs).
ROBOTS_DISALLOW = [
    "/dashboard/",
    "/billing/",
    "/studio/",
    "/admin/",
    "/django-admin/",
    "/accounts/",
    "/api/",
]


@require_GET
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('home:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def sitemap(request):
    """``/sitemap.xml``: live public pages and published storefronts in one file.

    Wagtail's view hands the page sitemap the request (for the site and absolute URLs).
    """
    from storefronts.sitemaps import StorefrontSitemap

    sitemaps = {"pages": PageSitemap, "storefronts": StorefrontSitemap}
    return wagtail_sitemap_views.sitemap(request, sitemaps=sitemaps)
