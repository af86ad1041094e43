from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("billing/checkout/<slug:plan_slug>/", views.checkout, name="checkout"),
    path("billing/change/<slug:plan_slug>/", views.plan_change, name="plan_change"),
    path("billing/success/", views.success, name="success"),
    path("billing/cancel/", views.cancel, name="cancel"),
    path("billing/portal/", views.portal, name="portal"),
    path("billing/portal/card/", views.portal_card, name="portal_card"),
    path("billing/webhook/", views.webhook, name="webhook"),
    path("studio/", views.studio, name="studio"),
    path("studio/launch/", views.studio_launch, name="studio_launch"),
    path("api/v1/me/entitlement", views.me_entitlement, name="me_entitlement"),
    path(
        "api/v1/entitlements/<str:external_id>",
        views.entitlement_by_external_id,
        name="entitlement_by_external_id",
    ),
]
