"""Content-Security-Policy: a strict policy for the site, a scoped one for the two admins.

django-csp builds the header from ``settings.CONTENT_SECURITY_POLICY`` (the site policy,
see mintkit/settings/csp.py and docs/DEPLOYMENT.md, "Security headers").
This subclass adds what is only known per request:

- ``form-action`` gets the origins our forms hand the browser to with a 303: Stripe's
  Checkout and billing portal (or the emulator's origin when ``STRIPE_API_BASE`` is set) and
  MintKit Studio. Chrome applies ``form-action`` to the redirect after a form POST, so
  without them "Subscribe", "Manage billing" and "Open MintKit Studio" would stop dead.
  They are read at response time because tests point ``STRIPE_API_BASE`` at an emulator on
  a random port.
- Under ``CSP_ADMIN_PATH_PREFIXES`` the admin policy (``CSP_ADMIN_DIRECTIVES``) replaces
  the site's: Wagtail's admin renders inline ``<script>`` elements from widget templates
  that never see the request (so cannot carry a nonce) and sets ``style=""`` attributes,
  and its preview is framed by the admin itself.
- Wagtail renders a preview by running a dummy request for the page's own URL (``/`` …)
  through the whole middleware stack (``request.is_dummy``). That response keeps the site's
  strict policy — its nonce matches its HTML — but may be framed by the admin
  (``frame-ancestors 'self'``); the outer admin response then leaves its header alone.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config

# Where Stripe's hosted pages live when the SDK talks to Stripe itself.
STRIPE_HOSTED_ORIGINS = ("https://checkout.stripe.com", "https://billing.stripe.com")


def origin_of(url: str | None) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def form_redirect_origins() -> list[str]:
    """Origins a form POST on the site may be redirected to (see the module docstring)."""
    emulator = origin_of(settings.STRIPE_API_BASE)
    origins = [emulator] if emulator else list(STRIPE_HOSTED_ORIGINS)
    studio = origin_of(settings.MINTKIT_STUDIO_URL)
    if studio:
        origins.append(studio)
    return origins


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES))


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        configured = getattr(
            settings,
            "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY",
            None,
        )
        if not configured:
            return parts  # this header is switched off; add nothing to it
        if parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.CSP_ADMIN_DIRECTIVES)
        if getattr(request, "is_dummy", False):  # a Wagtail preview, shown in the admin
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        update = dict(parts.update or {})
        update["form-action"] = [*update.get("form-action", ()), *form_redirect_origins()]
        parts.update = update
        return parts
