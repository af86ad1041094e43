from django.core.management.base import BaseCommand

from notifications.services import lifecycle_emails_run


class Command(BaseCommand):
    help = (
        "Run the periodic lifecycle-e-mail job once (hub-trial reminders, retries of failed "
        "sends). The worker's beat runs the same job hourly; any number of runs send each "
        "e-mail once."
    )

    def handle(self, *args, **options):
        counts = lifecycle_emails_run()
        self.stdout.write(
            f"Lifecycle e-mails: {counts['queued']} queued, {counts['requeued']} re-queued."
        )
