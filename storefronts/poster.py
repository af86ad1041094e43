"""The printable QR poster for the shop counter: ``/dashboard/storefront/poster/`` (the first
storefront) and ``/dashboard/storefronts/<slug>/poster/``."""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

import qrcode
import qrcode.image.svg

from accounts.decorators import owner_login_required
from accounts.ownership import owned

from .contact_source import storefront_contact
from .models import Storefront
from .owner_urls import owner_urls
from .sources import qr_target

POSTER_SIZES = {"a5": "A5", "a4": "A4"}


def qr_svg_markup(url: str) -> str:
    """An inline ``<svg>`` QR code of ``url`` (no XML declaration, sized by CSS)."""
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    svg = qr.make_image(image_factory=qrcode.image.svg.SvgPathImage).to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    # Our own generator's output over our own URL: nothing an owner typed is in it.
    return mark_safe(  # noqa: S308
        svg.replace("<svg ", '<svg class="poster-qr" role="img" aria-label="QR code" ', 1)
    )


def short_url(url: str) -> str:
    """The address as people type it: no scheme, no trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


@owner_login_required
def storefront_poster(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """An A5 (or ``?size=a4``) print view: name, "Scan to buy a gift card", QR, short URL.
    Of the storefront ``slug`` (one of the owner's), or of their first one."""
    storefronts = owned(Storefront.objects.select_related("logo", "profile__logo"), request)
    if slug is not None:
        storefronts = storefronts.filter(slug=slug)
    storefront = storefronts.order_by("pk").first()
    if storefront is None:
        raise Http404("No storefront yet.")
    size = request.GET.get("size", "a5")
    if size not in POSTER_SIZES:
        size = "a5"
    url = request.build_absolute_uri(storefront.get_absolute_url())
    return render(
        request,
        "storefronts/poster.html",
        {
            "storefront": storefront,
            "contact": storefront_contact(storefront=storefront),
            "size": size,
            "sizes": POSTER_SIZES,
            "qr_svg": qr_svg_markup(qr_target(url)),  # the printed address stays plain
            "short_url": short_url(url),
            "owner_urls": owner_urls(storefront=storefront, first=slug is None),
        },
    )
