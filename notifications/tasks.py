"""Celery tasks: thin wrappers round the services (run by the worker, or eagerly)."""

from celery import shared_task

from . import services


@shared_task(name="notifications.email_deliver", bind=True, max_retries=services.MAX_ATTEMPTS)
def email_deliver(self, *, email_id: int) -> str:
    """Send one recorded e-mail. A failed send is retried by the worker with exponential
    back-off (1, 2, 4… minutes, at most an hour); the row shows each attempt's error."""
    try:
        return services.email_deliver(email_id=email_id)
    except services.EmailSendFailed as exc:
        if self.request.is_eager:
            # No worker (dev, tests): don't block the request retrying; the hourly job
            # (`lifecycle_emails`) picks failed rows up again.
            return "failed"
        attempts = self.request.retries + 1
        raise self.retry(
            exc=exc, countdown=services.retry_delay_seconds(attempts=attempts)
        ) from exc


@shared_task(name="notifications.lifecycle_emails")
def lifecycle_emails() -> dict:
    """The hourly job (beat): hub-trial reminders and re-queued failures."""
    return services.lifecycle_emails_run()
