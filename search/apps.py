from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self):
        from django.contrib.postgres.lookups import TrigramSimilar

        from . import signals  # noqa: F401 - connects the index's signal handlers
        from .models import StorefrontSearchEntry

        # ``name_key %% query`` (pg_trgm), without installing django.contrib.postgres.
        StorefrontSearchEntry._meta.get_field("name_key").register_lookup(TrigramSimilar)
