"""The owner's links for one storefront: ``/dashboard/storefronts/<slug>/…``, or the older
``/dashboard/storefront/…`` ones (which act on the first storefront) when the owner came
that way, so a page never sends them from one address scheme to the other."""

from django.urls import reverse

from .models import Storefront

PAGES = ("edit", "publish", "slug_check", "qr_svg", "qr_png", "stats", "poster")


def owner_urls(*, storefront: Storefront, first: bool = False) -> dict[str, str]:
    """``{"edit": …, "publish": …, …}`` for ``storefront``; ``first``: the
    ``/dashboard/storefront/`` addresses of the owner's first storefront."""
    if first:
        return {page: reverse(f"storefronts:{page}") for page in PAGES}
    return {
        page: reverse(f"storefronts:{page}_one", kwargs={"slug": storefront.slug}) for page in PAGES
    }
