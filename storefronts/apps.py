from django.apps import AppConfig


class StorefrontsConfig(AppConfig):
    name = "storefronts"
    verbose_name = "Storefronts"

    def ready(self):
        from core import pagecache

        from . import public_views, receivers  # noqa: F401 - connects the receivers

        # Cached public pages are answered before Django routes the request (storefronts/
        # urls.py: "storefront/<slug:slug>/", tested to stay in step).
        pagecache.early_lookup_register(PUBLIC_PREFIX, public_views.early_hit)


PUBLIC_PREFIX = "/storefront/"
