from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("dashboard/email-preferences/", views.preferences_update, name="preferences"),
]
