"""Published storefronts for the sitemap (sections wired up in ``mintkit/sitemaps.py``).

Built for 100,000+ storefronts: only ``slug`` and the date of ``updated_at`` are read
(``.values_list()``, in pk order, 50,000 per section), and each URL is made by string
formatting, not ``reverse()``.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import CharField
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse

from .models import Storefront

SITEMAP_LIMIT = 50_000  # the sitemaps.org maximum URLs per file


class StorefrontSitemap(Sitemap):
    """Location and last-modified date only: search engines ignore ``changefreq`` and
    ``priority``, and leaving them out keeps a 50,000-URL file near 5 MB instead of 8."""

    limit = SITEMAP_LIMIT

    def __init__(self, request=None, base_url: str = ""):
        self.request = request
        self.base_url = base_url
        prefix, _, suffix = reverse("storefronts:public", kwargs={"slug": "SLUG"}).partition("SLUG")
        self._path = (prefix, suffix)

    def items(self):
        # The date comes from the database as text: parsing 50,000 datetimes costs more
        # than the query.
        return (
            Storefront.objects.live()
            .order_by("pk")
            .values_list("slug", Cast(TruncDate("updated_at"), CharField()))
        )

    def location(self, item):
        prefix, suffix = self._path
        return f"{prefix}{item[0]}{suffix}"

    def lastmod(self, item):
        return item[1]

    def get_urls(self, page=1, site=None, protocol=None):
        """Every URL on ``base_url`` (the site's configured address), whatever the request."""
        start = f"{self.base_url}{self._path[0]}"
        suffix = self._path[1]
        return [
            {"location": f"{start}{slug}{suffix}", "lastmod": day}
            for slug, day in self.paginator.page(page).object_list
        ]
