from django.core.management.base import BaseCommand

from search.indexing import rebuild_storefront_index


class Command(BaseCommand):
    help = "Rewrite the storefront search index from the storefronts (after bulk loads)."

    def handle(self, *args, **options):
        total = rebuild_storefront_index()
        self.stdout.write(f"Indexed {total} published storefronts.")
