"""The storefront search index: one denormalised row per published storefront.

The row holds everything a visitor may search for (name, headline, town, category, description
and the shown offers' titles and descriptions) as plain text. The database keeps its own
full-text structure in step with the row by triggers created in this app's migrations:

* PostgreSQL: ``search_vector`` (a weighted ``tsvector``, GIN-indexed) and a trigram GIN index
  on ``name`` for near-miss names;
* SQLite: an FTS5 table ``search_storefront_fts`` over the same columns (``search_vector`` stays
  empty there).

``search.indexing`` writes the rows; nothing else should.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class StorefrontSearchEntry(models.Model):
    storefront = models.OneToOneField(
        "storefronts.Storefront",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    name = models.CharField(max_length=80)
    # The name's words, case-folded, joined by single spaces: "Mint & Co." -> "mint co".
    name_key = models.CharField(max_length=200, db_index=True)
    keywords = models.TextField(blank=True)  # headline, town, category
    body = models.TextField(blank=True)  # description, offers
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name_plural = "storefront search entries"

    def __str__(self):
        return self.name
