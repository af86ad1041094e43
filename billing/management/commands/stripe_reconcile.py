from django.core.management.base import BaseCommand, CommandError

from billing import services


class Command(BaseCommand):
    help = "Re-read every subscription from Stripe and fix any drift in the hub's copy."

    def handle(self, *args: object, **options: object) -> None:
        counts = services.subscriptions_reconcile(stdout=self.stdout)
        self.stdout.write(f"Synced {counts['synced']}, failed {counts['failed']}.")
        if counts["failed"]:
            raise CommandError("Some subscriptions could not be read from Stripe.")
        self.stdout.write(self.style.SUCCESS("Subscriptions match Stripe."))
