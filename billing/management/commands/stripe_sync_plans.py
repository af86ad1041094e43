from django.core.management.base import BaseCommand, CommandError

from billing import services, stripe_client


class Command(BaseCommand):
    help = "Create the Stripe Product and Price of every plan that lacks a (matching) one."

    def handle(self, *args: object, **options: object) -> None:
        try:
            results = services.plans_sync_to_stripe(stdout=self.stdout)
        except stripe_client.StripeError as exc:
            raise CommandError(f"Stripe refused or could not be reached: {exc}") from exc
        if not results:
            self.stdout.write("No plans to sync.")
        self.stdout.write(self.style.SUCCESS("Plans are in sync with Stripe."))
