"""Celery tasks: thin wrappers round the services (run by the worker, or eagerly)."""

from django.utils.dateparse import parse_datetime

from celery import shared_task

from . import services


@shared_task(name="studio_sync.event_deliver", ignore_result=True)
def studio_event_deliver(*, event_pk: int, now: str | None = None) -> str:
    """One delivery attempt of a Studio event. A failure is not retried here: the row keeps
    its next attempt time and the every-minute job (``studio_sync.run``) queues it again, so
    a retry survives a worker restart or a lost message alike."""
    return services.event_deliver(event_pk=event_pk, now=parse_datetime(now) if now else None)


@shared_task(name="studio_sync.run", ignore_result=True)
def studio_sync_run() -> dict:
    """Every minute (beat): time-driven entitlement changes, and retries that are due."""
    return services.studio_sync_run()
