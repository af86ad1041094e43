"""The owner's account pages; ``dashboard/urls.py`` adds the dashboard and the export
under the same ``accounts:`` names and is what the project URLconf includes."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dashboard/profile/", views.profile_edit, name="profile"),
    path("dashboard/account/delete/", views.account_delete_view, name="delete"),
]
