"""Settings for the real Celery worker that ``test_worker.py`` starts as a subprocess.

The test settings, plus: the broker, queue and database the test hands over in the
environment (the test's own database, so the worker sees the rows the test committed), and
e-mail written to files the test can read.
"""

import os

import dj_database_url

from mintkit.settings.test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["CELERY_TEST_QUEUE"]
EMAIL_BACKEND = "notifications.tests.backends.FailOnceFileBackend"
EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
NOTIFICATIONS_RETRY_BASE_SECONDS = 1
