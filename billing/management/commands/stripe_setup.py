from typing import Any
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser

from billing import setup, stripe_client


class Command(BaseCommand):
    help = (
        "Set up the Stripe account for the hub, idempotently: products and monthly/yearly "
        "prices, the customer-portal configuration and the webhook endpoint (prints its "
        "signing secret when it is created)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--webhook-url",
            help="https://<host>/billing/webhook/ — where Stripe sends events.",
        )
        parser.add_argument(
            "--no-webhook",
            action="store_true",
            help="Skip the webhook endpoint (the dev emulator delivers every event itself).",
        )
        parser.add_argument(
            "--recreate-webhook",
            action="store_true",
            help="Delete and re-create the endpoint to get a new signing secret (or to fix its "
            "API version); set STRIPE_WEBHOOK_SECRET to the new one at once.",
        )
        parser.add_argument(
            "--site-url",
            help="The site's address for the portal's links (default: the webhook URL's).",
        )

    def handle(
        self,
        *args: Any,
        webhook_url: str | None = None,
        no_webhook: bool = False,
        recreate_webhook: bool = False,
        site_url: str | None = None,
        **options: Any,
    ) -> None:
        if no_webhook:
            webhook_url = None
        elif not webhook_url:
            raise CommandError(
                "Give --webhook-url https://<host>/billing/webhook/ (or --no-webhook)."
            )
        elif (
            urlsplit(webhook_url).scheme not in ("http", "https")
            or not urlsplit(webhook_url).netloc
        ):
            raise CommandError(f"Not an http(s) URL: {webhook_url}")
        try:
            report = setup.stripe_account_setup(
                webhook_url=webhook_url, recreate_webhook=recreate_webhook, base_url=site_url
            )
        except stripe_client.StripeError as exc:
            raise CommandError(f"Stripe refused or could not be reached: {exc}") from exc
        for line in report.lines:
            self.stdout.write(line)
        if report.webhook_secret:
            self.stdout.write(
                self.style.WARNING(
                    "Set this as STRIPE_WEBHOOK_SECRET (Stripe shows it only now):\n"
                    f"STRIPE_WEBHOOK_SECRET={report.webhook_secret}"
                )
            )
        elif webhook_url:
            self.stdout.write(
                "The endpoint existed already: Stripe never shows its signing secret again. "
                "If STRIPE_WEBHOOK_SECRET is lost, roll it in the Stripe dashboard (Developers → "
                "Webhooks → the endpoint → Roll secret) or run this command again with "
                "--recreate-webhook, then set the new secret."
            )
        if report.problems:
            for problem in report.problems:
                self.stderr.write(self.style.ERROR(problem))
            raise CommandError(f"{len(report.problems)} problem(s) left (above).")
        summary = f"{report.changes} change(s)" if report.changes else "nothing to change"
        self.stdout.write(self.style.SUCCESS(f"Stripe is set up for the hub ({summary})."))
