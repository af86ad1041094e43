"""Celery tasks for billing (beat runs them; see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from . import services


@shared_task(name="billing.stripe_reconcile")
def stripe_reconcile() -> dict[str, int]:
    """Daily: re-read every subscription from Stripe (as `manage.py stripe_reconcile`)."""
    return services.subscriptions_reconcile()
