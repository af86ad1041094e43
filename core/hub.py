"""The hub's absolute address, for links where there is no request to build them from
(e-mails, admin notices)."""

from django.conf import settings


def hub_base_url() -> str:
    """``WAGTAILADMIN_BASE_URL``, which production defaults to https://<first allowed host>."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def hub_url(path: str) -> str:
    return hub_base_url() + path
