"""Start-up checks for ``MINTKIT_STUDIO_WEBHOOK_URL`` (``manage.py check``)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility)
def studio_webhook_url_check(app_configs=None, **kwargs):
    url = settings.MINTKIT_STUDIO_WEBHOOK_URL
    if not url:
        return []
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            Error(
                f"MINTKIT_STUDIO_WEBHOOK_URL is not an http(s) URL: {url!r}.",
                hint="Set it to the Studio's endpoint, e.g. https://studio.example/hooks/hub, "
                "or unset it to send no events.",
                id="studio_sync.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def studio_webhook_https_check(app_configs=None, **kwargs):
    url = settings.MINTKIT_STUDIO_WEBHOOK_URL
    if url and urlsplit(url).scheme == "http":
        return [
            Warning(
                "MINTKIT_STUDIO_WEBHOOK_URL is plain http: entitlement events (signed, not "
                "encrypted) would cross the network readable.",
                hint="Use the Studio's https:// endpoint.",
                id="studio_sync.W001",
            )
        ]
    return []
