"""The Celery app: the background worker for lifecycle e-mails and the daily Stripe reconcile.

``celery -A mintkit worker --beat`` (Procfile ``worker:``). Settings are read from Django's
settings under the ``CELERY_`` prefix (``mintkit/settings/operations.py``); with no
broker configured every task runs eagerly in-process, so development and tests need nothing.
"""

import os

from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

# The same default as mintkit/wsgi.py: the Procfile's processes run production settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mintkit.settings.production")

app = Celery("mintkit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# The request id travels with the task: whoever queues a task inside a request puts the id in
# the message's headers, and the worker sets it as the log context while the task runs, so
# `grep <request id>` finds the web lines and the worker lines of one action alike. (Eager
# tasks run inside the request and carry its context already.)
REQUEST_ID_HEADER = "mintkit_request_id"


@before_task_publish.connect
def _request_id_attach(headers=None, **_kwargs):
    from mintkit.logging import request_id_get

    request_id = request_id_get()
    if request_id and headers is not None and REQUEST_ID_HEADER not in headers:
        headers[REQUEST_ID_HEADER] = request_id


@task_prerun.connect
def _request_id_enter(task=None, task_id=None, **_kwargs):
    from mintkit.logging import RequestContext, request_context

    if task is None or request_context.get() is not None:  # eager: the request's own context
        return
    request_id = getattr(task.request, REQUEST_ID_HEADER, None) or task_id or "-"
    token = request_context.set(
        RequestContext(request_id=str(request_id), path=f"task:{task.name}", method="TASK")
    )
    task.request.mintkit_log_token = token


@task_postrun.connect
def _request_id_leave(task=None, **_kwargs):
    from mintkit.logging import request_context

    token = getattr(task.request, "mintkit_log_token", None) if task is not None else None
    if token is not None:
        request_context.reset(token)
        task.request.mintkit_log_token = None
