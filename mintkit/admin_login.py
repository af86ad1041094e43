"""The Wagtail admin's, the Django admin's and Wagtail's front-end log-in pages, closed.

Everyone logs in through allauth (``/accounts/login/``): one form with its rate limits (keyed on
the client IP behind the router, counted in the shared cache) and its e-mail checks. The admins'
log-in URLs stay (bookmarks, Wagtail's and Django's own links to them) but only redirect there,
for every method: a POST of a username and password to them authenticates nobody.
"""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def _safe_next(request: HttpRequest, *, default: str) -> str:
    candidate = request.GET.get("next") or request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _redirect(url: str, request: HttpRequest) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    if request.method != "GET":
        response.status_code = 303  # the form is not re-posted anywhere
    return response


def _admin_login_redirect(request: HttpRequest, *, home: str, may_enter) -> HttpResponseRedirect:
    next_url = _safe_next(request, default=home)
    if request.user.is_authenticated:
        if not may_enter(request):
            # Signed in but not allowed in this admin: no second log-in form to try other
            # accounts' passwords on.
            raise PermissionDenied
        return _redirect(next_url, request)
    login_url = resolve_url(settings.LOGIN_URL)
    return _redirect(f"{login_url}?{urlencode({'next': next_url})}", request)


def wagtail_admin_login(request: HttpRequest) -> HttpResponseRedirect:
    return _admin_login_redirect(
        request,
        home=reverse("wagtailadmin_home"),
        may_enter=lambda r: r.user.is_active and r.user.has_perm("wagtailadmin.access_admin"),
    )


def django_admin_login(request: HttpRequest) -> HttpResponseRedirect:
    return _admin_login_redirect(
        request, home=reverse("admin:index"), may_enter=admin.site.has_permission
    )


def wagtail_frontend_login(request: HttpRequest) -> HttpResponseRedirect:
    """Wagtail's log-in for private pages (``/_util/login/``): allauth's, like everyone's.

    Wagtail only sends a signed-in visitor here when a page is closed to them: 403.
    """
    return _admin_login_redirect(request, home="/", may_enter=lambda r: False)
