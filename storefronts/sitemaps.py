"""Active storefronts for ``/sitemap.xml`` (wired up with the Wagtail pages in mintkit/urls)."""

from django.contrib.sitemaps import Sitemap

from .models import Storefront


class StorefrontSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Storefront.objects.live().order_by("pk").only("slug", "updated_at")

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.updated_at
