"""Operations settings imported by base.py: logging (mintkit/logging.py) and the background
worker (Celery 5)."""

from .env import env_str

__all__ = [
    "CELERY_BEAT_SCHEDULE",
    "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ACKS_LATE",
    "CELERY_TASK_ALWAYS_EAGER",
    "CELERY_TASK_IGNORE_RESULT",
    "CELERY_TIMEZONE",
    "CELERY_WORKER_HIJACK_ROOT_LOGGER",
    "CELERY_WORKER_PREFETCH_MULTIPLIER",
    "LOGGING",
]

# Records go through one stdout handler that masks secrets, card numbers and e-mail addresses
# (see the Operations paragraph in base.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "mintkit.logging.RequestContextFilter"},
        "redact": {"()": "mintkit.logging.RedactingFilter"},
    },
    "formatters": {
        "console": {"()": "mintkit.logging.ConsoleFormatter"},
        "json": {"()": "mintkit.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "console",
            "filters": ["request_context", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # Django's own handlers (console in DEBUG, mail_admins) are dropped: its records reach
        # the redacting handler above like everyone else's.
        "django": {"level": "INFO"},
        # runserver's request lines would repeat the mintkit.request access log.
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # The SDK logs every request at INFO; failures still come through billing's own logs.
        "stripe": {"level": "WARNING"},
    },
}


# Background worker (Celery 5, Redis as the broker). Everything Celery reads is in this block.
# The broker is CELERY_BROKER_URL, else REDIS_URL (the cache's Redis), else none: then every
# task runs eagerly in-process, so `make run` and `make test` need no worker and no Redis.
# Beat (`celery -A mintkit worker --beat`, Procfile `worker:`) runs the periodic jobs below.
_celery_broker = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = not _celery_broker
# Eager tasks never reach a broker; Celery still opens a producer, so give it an in-memory one.
CELERY_BROKER_URL = _celery_broker or "memory://localhost/"
CELERY_TASK_IGNORE_RESULT = True  # no result backend: outcomes are rows (e.g. LifecycleEmail)
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another one
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "lifecycle-emails-hourly": {
        "task": "notifications.lifecycle_emails",
        "schedule": 60 * 60,
    },
    "stripe-reconcile-daily": {
        "task": "billing.stripe_reconcile",
        "schedule": 24 * 60 * 60,
    },
    # Entitlement changes that come from time passing (a trial or grace period ending), and
    # Studio events whose delivery is due again (studio_sync/tasks.py).
    "studio-sync-every-minute": {
        "task": "studio_sync.run",
        "schedule": 60,
    },
    # `manage.py doctor` reads it back (core/health.py): a stale heartbeat = no worker or beat.
    "worker-heartbeat": {
        "task": "core.worker_heartbeat",
        "schedule": 60,
    },
}
# The worker logs through Django's LOGGING (JSON lines in production, with the request id of
# the request that queued the task: mintkit/celery.py), not through Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
