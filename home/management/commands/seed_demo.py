"""``python manage.py seed_demo``: idempotent demo content for a fresh install.

Each app seeds its own part through a ``seed.run(*, stdout)`` function; they run
in the order below, so later seeders can rely on earlier ones (the demo business
needs the plans, the storefront needs the business).
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

SEEDERS = [
    "home.seed",
    "billing.seed",
    "accounts.seed",
    "storefronts.seed",
]


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo site, plans, business and storefront."

    def handle(self, *args, **options):
        for dotted in SEEDERS:
            with transaction.atomic():
                import_module(dotted).run(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
