from django.urls import path

from . import views

app_name = "sales"

urlpatterns = [
    path("api/v1/studio/events", views.studio_events, name="studio_events"),
]
