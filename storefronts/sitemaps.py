"""Published storefronts for the sitemap (sections wired up in ``mintkit/sitemaps.py``).

Built for 100,000+ storefronts: only ``slug`` and ``updated_at`` are read (``.values()``, in
pk order, 50,000 per section), and each URL is made by string formatting, not ``reverse()``.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Storefront

SITEMAP_LIMIT = 50_000  # the sitemaps.org maximum URLs per file


class StorefrontSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = SITEMAP_LIMIT

    def __init__(self, request=None, base_url: str = ""):
        self.request = request
        self.base_url = base_url
        prefix, _, suffix = reverse("storefronts:public", kwargs={"slug": "SLUG"}).partition("SLUG")
        self._path = (prefix, suffix)

    def items(self):
        return Storefront.objects.live().order_by("pk").values("slug", "updated_at")

    def location(self, item):
        prefix, suffix = self._path
        return f"{prefix}{item['slug']}{suffix}"

    def lastmod(self, item):
        return item["updated_at"]

    def get_urls(self, page=1, site=None, protocol=None):
        """Every URL on ``base_url`` (the site's configured address), whatever the request."""
        urls = []
        for item in self.paginator.page(page).object_list:
            urls.append(
                {
                    "location": f"{self.base_url}{self.location(item)}",
                    "lastmod": item["updated_at"],
                    "changefreq": self.changefreq,
                    "priority": str(self.priority),
                }
            )
        return urls
