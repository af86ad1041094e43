"""The Celery app: the background worker for lifecycle e-mails and the daily Stripe reconcile.

``celery -A mintkit worker --beat`` (Procfile ``worker:``). Settings are read from Django's
settings under the ``CELERY_`` prefix (one block in ``mintkit/settings/base.py``); with no
broker configured every task runs eagerly in-process, so development and tests need nothing.
"""

import os

from celery import Celery

# The same default as mintkit/wsgi.py: the Procfile's processes run production settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mintkit.settings.production")

app = Celery("mintkit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
