"""The storefront's "Add to contacts" download: ``/storefront/<slug>/contact.vcf``."""

from django.http import Http404, HttpRequest, HttpResponse

from . import selectors
from .vcard import storefront_vcard


def storefront_contact_vcf(request: HttpRequest, slug: str) -> HttpResponse:
    """A published storefront's vCard for everyone; a draft's for its owner only (else 404)."""
    storefront = selectors.storefront_by_slug(slug=slug)
    if storefront is None:
        raise Http404("No such storefront.")
    is_owner = selectors.storefront_is_owners(storefront=storefront, request=request)
    if not (storefront.is_active or is_owner):
        raise Http404("No such storefront.")
    card = storefront_vcard(
        storefront=storefront, page_url=request.build_absolute_uri(storefront.get_absolute_url())
    )
    response = HttpResponse(card.encode(), content_type="text/vcard; charset=utf-8")
    # The slug is [a-z0-9-] only, so it is safe in the header as it is.
    response["Content-Disposition"] = f'attachment; filename="{storefront.slug}.vcf"'
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = (
        "public, max-age=300" if storefront.is_active and not is_owner else "private, no-store"
    )
    return response
