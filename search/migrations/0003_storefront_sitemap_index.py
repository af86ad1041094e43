"""A covering index for the storefront sitemap (PostgreSQL only).

``storefronts.sitemaps.StorefrontSitemap`` reads ``slug`` and ``updated_at`` of published
storefronts in pk order, 50,000 at a time, and counts them. With this partial index PostgreSQL
answers both from the index alone instead of reading the wide storefront rows. It lives here
rather than in ``storefronts`` so the storefronts models stay as they are (issue 15.4).
"""

from django.db import migrations

INDEX = "storefronts_live_sitemap_idx"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON storefronts_storefront (id) "
            "INCLUDE (slug, updated_at) WHERE is_active"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_full_text_index"), ("storefronts", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
