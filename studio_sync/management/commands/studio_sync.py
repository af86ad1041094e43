from django.core.management.base import BaseCommand

from studio_sync.services import studio_sync_run, studio_webhook_url


class Command(BaseCommand):
    help = (
        "Run the Studio sync job once: record entitlement changes that came from time passing "
        "(trial or grace ended) and deliver the Studio events that are due. Safe to repeat."
    )

    def handle(self, *args, **options):
        if not studio_webhook_url():
            self.stdout.write("MINTKIT_STUDIO_WEBHOOK_URL is not set: no events to send.")
            return
        counts = studio_sync_run()
        self.stdout.write(
            "Checked {checked} businesses, recorded {recorded} events, queued {queued} "
            "deliveries.".format(**counts)
        )
