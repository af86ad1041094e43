from django.urls import path

from . import contact, poster, public_views, several, views

app_name = "storefronts"

urlpatterns = [
    # The public page first: it is the busiest address of the site (mintkit/urls.py puts
    # this module early for the same reason: fewer patterns tried before it).
    path("storefront/<slug:slug>/", public_views.storefront_public, name="public"),
    path("storefront/<slug:slug>/go/<int:offer_id>/", public_views.offer_go, name="offer_go"),
    path("storefront/<slug:slug>/contact.vcf", contact.storefront_contact_vcf, name="vcard"),
    # The first (oldest) storefront, at the addresses it had before there could be several.
    path("dashboard/storefront/", views.storefront_edit, name="edit"),
    path("dashboard/storefront/publish/", views.storefront_publish, name="publish"),
    path("dashboard/storefront/slug-check/", views.slug_check, name="slug_check"),
    path("dashboard/storefront/qr.svg", views.storefront_qr_svg, name="qr_svg"),
    path("dashboard/storefront/qr.png", views.storefront_qr_png, name="qr_png"),
    path("dashboard/storefront/stats/", views.storefront_stats, name="stats"),
    path("dashboard/storefront/poster/", poster.storefront_poster, name="poster"),
    # Each of the owner's storefronts ("new" is a reserved slug, so it never clashes).
    path("dashboard/storefronts/", several.storefront_list, name="list"),
    path("dashboard/storefronts/new/", several.storefront_create, name="create"),
    path("dashboard/storefronts/<slug:slug>/", views.storefront_edit, name="edit_one"),
    path(
        "dashboard/storefronts/<slug:slug>/publish/", views.storefront_publish, name="publish_one"
    ),
    path("dashboard/storefronts/<slug:slug>/slug-check/", views.slug_check, name="slug_check_one"),
    path("dashboard/storefronts/<slug:slug>/qr.svg", views.storefront_qr_svg, name="qr_svg_one"),
    path("dashboard/storefronts/<slug:slug>/qr.png", views.storefront_qr_png, name="qr_png_one"),
    path("dashboard/storefronts/<slug:slug>/stats/", views.storefront_stats, name="stats_one"),
    path("dashboard/storefronts/<slug:slug>/poster/", poster.storefront_poster, name="poster_one"),
]
