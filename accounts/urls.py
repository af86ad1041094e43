from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/profile/", views.profile_edit, name="profile"),
    path("dashboard/account/delete/", views.account_delete_view, name="delete"),
    path("dashboard/export/", views.data_export, name="export"),
]
