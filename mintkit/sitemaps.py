"""``/sitemap.xml`` (a sitemap index), its sections and ``/robots.txt``.

The index lists one file per section and page: ``/sitemap-pages.xml`` and
``/sitemap-storefronts.xml?p=1``, ``?p=2``… at most 50,000 URLs each (sitemaps.org's limit).
Each file is cached whole for ``SITEMAP_CACHE_SECONDS``; a storefront appears or disappears
within that time. Every URL uses the site's configured address (``public_base_url``), never
the address a request happened to use or the seeded ``localhost``.
"""

from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control, cache_page
from django.views.decorators.http import require_GET

from wagtail.contrib.sitemaps import Sitemap as WagtailPageSitemap
from wagtail.models import Site

SITEMAP_CACHE_SECONDS = 60 * 60
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}

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


def _root_url(request) -> str:
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    return site.root_url if site is not None else ""


def public_base_url(*, root_url: str) -> str:
    """The site's address: its Wagtail ``Site`` when that names a real host, else
    ``WAGTAILADMIN_BASE_URL`` (in production ``https://<first allowed host>``)."""
    if root_url and urlsplit(root_url).hostname not in LOOPBACK_HOSTS:
        return root_url.rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


class PageSitemap(WagtailPageSitemap):
    """Wagtail's live public pages, with the site's configured address."""

    limit = 50_000

    def __init__(self, request=None, base_url: str = ""):
        super().__init__(request)
        self.base_url = base_url

    def get_urls(self, page=1, site=None, protocol=None):
        root_url = self.get_wagtail_site().root_url
        # Wagtail builds each page's full URL itself; the site argument is only a formality.
        site = site or RequestSite(self.request)
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            if url["location"].startswith(root_url):
                url["location"] = self.base_url + url["location"][len(root_url) :]
        return urls


def _sitemaps(request) -> dict:
    from storefronts.sitemaps import StorefrontSitemap

    base_url = public_base_url(root_url=_root_url(request))
    return {
        "pages": PageSitemap(request, base_url=base_url),
        "storefronts": StorefrontSitemap(request, base_url=base_url),
    }


def _xml(body: str) -> HttpResponse:
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + body,
        content_type="application/xml; charset=utf-8",
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
@cache_page(SITEMAP_CACHE_SECONDS, key_prefix="sitemap")
def sitemap_index(request):
    """``/sitemap.xml``: one ``<sitemap>`` per section file."""
    base_url = public_base_url(root_url=_root_url(request))
    entries = []
    for section, sitemap in _sitemaps(request).items():
        path = reverse("sitemap_section", kwargs={"section": section})
        pages = sitemap.paginator.num_pages
        for number in range(1, pages + 1):
            query = f"?p={number}" if pages > 1 else ""
            entries.append(f"<sitemap><loc>{escape(base_url + path + query)}</loc></sitemap>")
    return _xml(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(entries)
        + "\n</sitemapindex>\n"
    )


@require_GET
@cache_page(SITEMAP_CACHE_SECONDS, key_prefix="sitemap")
def sitemap_section(request, section):
    """``/sitemap-<section>.xml?p=N``: up to 50,000 URLs; an unknown section or page is a 404."""
    sitemap = _sitemaps(request).get(section)
    raw_page = request.GET.get("p", "1")
    if sitemap is None or not raw_page.isdigit() or len(raw_page) > 6:
        raise Http404("No such sitemap.")
    number = int(raw_page)
    if not 1 <= number <= sitemap.paginator.num_pages:
        raise Http404("No such sitemap page.")
    rows = []
    for url in sitemap.get_urls(page=number):
        parts = [f"<loc>{escape(url['location'])}</loc>"]
        lastmod = url.get("lastmod")
        if lastmod:
            day = lastmod.date().isoformat() if hasattr(lastmod, "date") else str(lastmod)[:10]
            parts.append(f"<lastmod>{day}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{url['changefreq']}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{url['priority']}</priority>")
        rows.append("<url>" + "".join(parts) + "</url>")
    return _xml(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(rows)
        + "\n</urlset>\n"
    )


@require_GET
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request):
    base_url = public_base_url(root_url=_root_url(request))
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {base_url}{reverse('sitemap_index')}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
