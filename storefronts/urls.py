from django.urls import path

from . import contact, poster, views

app_name = "storefronts"

urlpatterns = [
    path("dashboard/storefront/", views.storefront_edit, name="edit"),
    path("dashboard/storefront/publish/", views.storefront_publish, name="publish"),
    path("dashboard/storefront/slug-check/", views.slug_check, name="slug_check"),
    path("dashboard/storefront/qr.svg", views.storefront_qr_svg, name="qr_svg"),
    path("dashboard/storefront/qr.png", views.storefront_qr_png, name="qr_png"),
    path("dashboard/storefront/stats/", views.storefront_stats, name="stats"),
    path("dashboard/storefront/poster/", poster.storefront_poster, name="poster"),
    path("storefront/<slug:slug>/", views.storefront_public, name="public"),
    path("storefront/<slug:slug>/go/<int:offer_id>/", views.offer_go, name="offer_go"),
    path("storefront/<slug:slug>/contact.vcf", contact.storefront_contact_vcf, name="vcard"),
]
