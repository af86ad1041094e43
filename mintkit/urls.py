from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import admin_login, sitemaps, views

handler500 = "mintkit.views.server_error"

# The Django admin is for superusers only (CONTRACT.md); staff work in the Wagtail admin.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser
# Both admins' log-in pages only redirect to allauth's log-in (mintkit/admin_login.py).
admin.site.login = admin_login.django_admin_login

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("", include("storefronts.urls")),  # early: the public storefront is the busiest
    path("django-admin/", admin.site.urls),
    path("admin/login/", admin_login.wagtail_admin_login, name="wagtailadmin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("dashboard.urls")),  # with accounts.urls inside
    path("", include("billing.urls")),
    path("", include("sales.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
    path("", include("home.urls")),
]

if settings.SERVE_MEDIA:
    # Media on local disk (no S3 bucket configured). Only Wagtail's resized renditions under
    # images/ are public: owners' original uploads (original_images/) are never served.
    urlpatterns += [re_path(r"^media/(?P<path>images/.+)$", views.media_rendition, name="media")]

# Wagtail's catch-all page serving comes last; its log-in for private pages goes to allauth's.
urlpatterns += [
    path("_util/login/", admin_login.wagtail_frontend_login, name="wagtailcore_login"),
    path("", include(wagtail_urls)),
]
