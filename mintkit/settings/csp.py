"""Content-Security-Policy settings (django-csp 4), imported by base.py."""

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from .env import env_list, env_str

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "CSP_ADMIN_DIRECTIVES",
    "CSP_ADMIN_PATH_PREFIXES",
    "CSP_MEDIA_ORIGINS",
    "WAGTAIL_GRAVATAR_PROVIDER_URL",
]

# As in base.py: S3-compatible media when set.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")


# ---------------------------------------------------------------------------
# Content-Security-Policy (django-csp 4), enforced in every environment; see
# docs/DEPLOYMENT.md, "Security headers". mintkit.csp.SiteCSPMiddleware adds the
# origins forms redirect to (Stripe or the emulator, MintKit Studio) to form-action
# and swaps in CSP_ADMIN_DIRECTIVES under CSP_ADMIN_PATH_PREFIXES.
# ---------------------------------------------------------------------------
def _media_origins() -> list[str]:
    """Where uploaded images are served from when they are not on this site."""
    origins = env_list("CSP_MEDIA_ORIGINS")  # e.g. a CDN in front of the bucket
    custom_domain = env_str("AWS_S3_CUSTOM_DOMAIN")
    if custom_domain:
        origins.append(f"https://{custom_domain}")
    elif AWS_STORAGE_BUCKET_NAME:
        endpoint = env_str("AWS_S3_ENDPOINT_URL")
        if endpoint:
            origins.append(endpoint.rstrip("/"))
        origins.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")
        region = env_str("AWS_S3_REGION_NAME")
        if region:
            origins.append(f"https://{AWS_STORAGE_BUCKET_NAME}.s3.{region}.amazonaws.com")
    return origins


CSP_MEDIA_ORIGINS = _media_origins()
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],  # everything not listed below is refused
        # Our static files, plus anything carrying this response's nonce. No inline
        # scripts, no event-handler attributes, no eval.
        "script-src": [SELF, NONCE],
        # Static CSS plus nonce'd <style> (the storefront's brand colour); no style="".
        "style-src": [SELF, NONCE],
        # data: for the SVG icons inside Bootstrap's CSS (form-select arrow, close button).
        "img-src": [SELF, "data:", *CSP_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],  # the storefront editor's slug check
        "form-action": [SELF],  # + Stripe / emulator / Studio, added per response
        "frame-ancestors": [NONE],  # nobody frames the site (the admin's preview: below)
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# The Wagtail and Django admins (staff only): Wagtail's widgets and panels emit inline
# <script> elements without a nonce and style="" attributes (wagtail/wagtail#1288), and
# the page editor frames its own preview. Everything else stays as strict as the site.
CSP_ADMIN_PATH_PREFIXES = ["/admin/", "/django-admin/"]
CSP_ADMIN_DIRECTIVES = {
    "default-src": [NONE],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *CSP_MEDIA_ORIGINS],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],  # the preview panel's iframe
    "media-src": [SELF, *CSP_MEDIA_ORIGINS],
    "form-action": [SELF],
    "frame-ancestors": [SELF],  # the preview is framed by the page editor
    "base-uri": [SELF],
    "object-src": [NONE],
}
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # avatars stay on this site (no third-party images)
