"""The default Wagtail Site follows the host the hub is configured to answer on.

Wagtail builds every absolute page URL (``page.full_url``: the canonical link, ``og:url``,
the sitemap) from the Site's hostname and port, never from the request. A Site left at the
"localhost:80" placeholder therefore advertises ``http://localhost/…`` on a real domain.
The configured host is ``WAGTAILADMIN_BASE_URL`` (production defaults it to the first
``ALLOWED_HOSTS`` entry), else the first concrete ``ALLOWED_HOSTS`` entry.

``site_follow_configured_host`` runs after every ``migrate`` (``home/apps.py``, so each
deploy brings the Site in line) and from ``seed_demo``.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from wagtail.models import Site

logger = logging.getLogger(__name__)


def configured_site_address() -> tuple[str, int] | None:
    """``(hostname, port)`` for the default Site, or None when nothing usable is configured.

    Port 443 makes Wagtail write ``https://`` URLs, port 80 ``http://``.
    """
    base = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if base.hostname:
        try:
            port = base.port
        except ValueError:
            port = None
        return base.hostname, port or (443 if base.scheme == "https" else 80)
    for host in settings.ALLOWED_HOSTS:
        # "*" and ".example.com" (any subdomain) name no single host.
        if host and host != "*" and not host.startswith("."):
            return host, 80
    return None


def site_follow_configured_host(*, using: str = DEFAULT_DB_ALIAS) -> Site | None:
    """Point the default Site at the configured host; returns the Site (or None if none).

    Leaves the Site alone when another Site already owns that host and port (they are unique
    together), and says so in the log.
    """
    address = configured_site_address()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if address is None or site is None or (site.hostname, site.port) == address:
        return site
    hostname, port = address
    if Site.objects.using(using).filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        logger.warning(
            "Default Wagtail Site left at %s:%s: another Site already uses %s:%s.",
            site.hostname,
            site.port,
            hostname,
            port,
        )
        return site
    site.hostname, site.port = hostname, port
    site.save(using=using, update_fields=["hostname", "port"])
    return site


def site_follow_configured_host_after_migrate(*, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` receiver: safe before Wagtail's tables exist (a partial migrate)."""
    if Site._meta.db_table not in connections[using].introspection.table_names():
        return
    site_follow_configured_host(using=using)
