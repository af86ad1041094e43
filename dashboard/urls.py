"""The owner pages under ``/dashboard/``.

They keep their ``accounts:`` URL names (``accounts:dashboard``, ``accounts:export``, …), which
templates, e-mails and tests link to: the dashboard and the export are added here to
``accounts``' own patterns, and the project URLconf includes this module in their place.
"""

from django.urls import path

from accounts.urls import urlpatterns as accounts_urlpatterns

from . import views

app_name = "accounts"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    *accounts_urlpatterns,
    path("dashboard/export/", views.data_export, name="export"),
]
