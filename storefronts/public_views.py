"""The public storefront page and its offer links, for customers.

``/storefront/<slug>/`` shows a published storefront to everyone (drafts only to their
owner and staff; everyone else gets the same 404 as for a slug that does not exist); an
anonymous visitor gets it from the page cache (core/pagecache.py) in one round trip.
``/storefront/<slug>/go/<id>/`` counts a click on an offer and sends the visitor on.
The owner's editor is in ``views.py``.
"""

import re

from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from core import pagecache

from . import heads, links, selectors, services
from .hours import opening_status
from .models import Storefront
from .public import public_page_parts, public_page_version
from .sources import visit_source


def _visible_storefront(request, slug: str, loaded: Storefront | None = None) -> Storefront | None:
    """``loaded``: the storefront at ``slug``, when the caller has read it already."""
    storefront = loaded or selectors.storefront_by_slug(slug=slug)
    if storefront is None:
        return None
    if storefront.is_active or selectors.storefront_can_preview(
        storefront=storefront, request=request
    ):
        return storefront
    return None


def _moved_storefront(request, slug: str) -> Storefront | None:
    """The storefront a mixed-case (``Mint-Co``) or old address stands for, if this visitor
    may see it: slugs are stored lowercase, and a draft's address must not leak by a 301."""
    lower = slug.lower()
    if lower != slug and (storefront := _visible_storefront(request, lower)):
        return storefront
    moved = selectors.storefront_by_old_slug(slug=lower)
    if moved is not None and _visible_storefront(request, moved.slug):
        return moved
    return None


def _with_query(request, url: str) -> str:
    # Keep tracking tags (?utm_source=qr) across the redirect.
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # Django's <slug:…> converter
_LOOKED_UP = "_mintkit_storefront_lookup"


def early_hit(request, rest: str):
    """The cached page for ``/storefront/<slug>/`` (``rest`` is ``<slug>/``), asked by
    core/pagecache.py before Django routes the request; on a miss the view renders without
    asking the cache again."""
    slug, slash, tail = rest.partition("/")
    if not slash or tail or not _SLUG.fullmatch(slug):
        return None
    hit, looked_up, loaded = _cached_public_page(request, slug)
    setattr(request, _LOOKED_UP, (looked_up, loaded))
    return hit


def storefront_public(request, slug):
    """The public page. Drafts: owner and staff only, with a banner; others 404."""
    looked_up = False  # whether the cache was already asked for this page
    loaded = None  # the storefront at this slug, if the cache lookup read it
    if pagecache.request_is_cacheable(request):
        if hasattr(request, _LOOKED_UP):  # asked before routing (early_hit): a miss
            looked_up, loaded = getattr(request, _LOOKED_UP)
        else:
            hit, looked_up, loaded = _cached_public_page(request, slug)
            if hit is not None:
                return hit
    storefront = _visible_storefront(request, slug, loaded)
    if storefront is None:
        moved = _moved_storefront(request, slug)
        if moved is not None:
            return HttpResponseRedirect(_with_query(request, moved.get_absolute_url()), status=301)
        raise Http404("No such storefront.")
    if selectors.visit_counts(storefront=storefront, request=request):
        # Before the page cache is asked, so a cached page counts too, with its source.
        services.storefront_view_record(
            storefront=storefront,
            day=selectors.storefront_local_date(storefront=storefront),
            source=visit_source(request),
        )
    parts = public_page_parts(storefront=storefront, request=request)
    opening_html = _opening_html(storefront, parts)
    if not storefront.is_active:  # a draft, shown to its owner or staff only
        response = _render_public(request, storefront, parts, opening_html)
        response["X-Robots-Tag"] = "noindex"
        response["Cache-Control"] = "private, no-store"
        return response
    # The visit was counted above, so a cached page counts too. The owner (always logged
    # in, so never served from or stored in the cache) gets the Edit bar, sent
    # "private, no-store" by ``_render_public``; ``shareable`` makes that doubly sure.
    return pagecache.cached_response(
        request,
        version=public_page_version(storefront=storefront),
        render=lambda: _render_public(request, storefront, parts, OPENING_MARKER),
        holes={OPENING_MARKER: opening_html},
        data={key: parts.get(key) for key in ("week", "special", "notes")},
        shareable=lambda: (
            not selectors.storefront_is_owners(storefront=storefront, request=request)
        ),
        looked_up=looked_up,
        site_wide=False,
    )


def _cached_public_page(request, slug):
    """``(page, looked_up, loaded)``: an anonymous visitor's page straight from the cache,
    or None — then the full view renders (and stores) it, without asking the cache again
    when ``looked_up``, and without reading the storefront again when it is ``loaded``.

    A hit is one cache round trip and no query: the slug's head (storefronts/heads.py) and
    the page, which carries the hours its "open now" line needs. The page shows nothing
    site-wide, so the site generation does not version it (``site_wide=False``). With
    no head cached, the storefront is read whole (one query), as a render would need it.
    The visit is counted only when this answers, so the full view never counts it twice.
    """
    if len(slug) > heads.SLUG_MAX_LENGTH:  # no storefront has it: no cache key that long
        return None, False, None
    key, page_key = heads.head_key(slug), pagecache.page_key(request)
    found = cache.get_many([key, page_key])
    value = found.get(key)
    if value == heads.UNPUBLISHED:
        return None, False, None
    loaded = None
    if value is None:
        loaded = selectors.storefront_by_slug(slug=slug)
        if loaded is None or not loaded.is_active:  # the full view says 404, 301 or preview
            return None, False, loaded
        head = heads.head_add(loaded)
    else:
        head = heads.head_from_value(slug, value)
    if head is None:
        return None, False, loaded
    version = public_page_version(storefront=head)
    hit = pagecache.cached_hit(
        request,
        version=version,
        # ``data``: the hours stored with the page (``storefront_public``).
        holes=lambda data: {OPENING_MARKER: _opening_html(head, data, version=version)},
        found=found,
        key=page_key,
        site_wide=False,  # the brand-first page shows no hub menu, footer or settings
    )
    if hit is not None and selectors.visit_counts(storefront=head, request=request):
        services.storefront_view_record(
            storefront=head.as_storefront(),
            day=selectors.storefront_local_date(storefront=head),
            source=visit_source(request),
        )
    return hit, True, loaded


# The "open now" line per page version, kept until the moment its answer changes (one
# process's memory: it is cheap to make, but made on every cached visit otherwise).
_OPENING_LINES: dict[tuple, tuple[str, object]] = {}
_OPENING_LINES_MAX = 4096


def _opening_html(storefront, parts, *, version: tuple | None = None) -> str:
    """``version``: the page's ``public_page_version``, when the caller has it already."""
    now = timezone.now()
    key = version or public_page_version(storefront=storefront)
    known = _OPENING_LINES.get(key)
    if known is not None and (known[1] is None or now < known[1]):
        return known[0]
    opening = opening_status(
        now=now,
        time_zone=storefront.time_zone,
        week=parts["week"],
        special=parts["special"],
        notes=parts.get("notes"),
    )
    html = render_to_string("storefronts/includes/opening_status.html", {"opening": opening})
    if len(_OPENING_LINES) >= _OPENING_LINES_MAX:
        _OPENING_LINES.clear()
    _OPENING_LINES[key] = (html, opening.changes_at if opening else None)
    return html


# Stands in for the "open now" line in a cached page; owner text is escaped, so it can
# never contain a literal "<!--".
OPENING_MARKER = "<!--storefront:opening-status-->"


def _render_public(request, storefront, parts, opening_html):
    is_owner = selectors.storefront_is_owners(storefront=storefront, request=request)
    response = render(
        request,
        "storefronts/public.html",
        {
            "storefront": storefront,
            "parts": parts,
            "opening_html": mark_safe(opening_html),  # noqa: S308 - our template or the marker
            "is_draft": not storefront.is_active,
            "is_owner": is_owner,
        },
    )
    if is_owner:  # the owner's page carries the Edit bar: never for a shared cache
        response["Cache-Control"] = "private, no-store"
    return response


def offer_go(request, slug, offer_id):
    """Count a click on an offer card, then send the visitor on to the offer.

    Only a published storefront's shown offers with an http(s) link go anywhere (its owner
    may also try a draft's); MintKit Studio links are a 302, any other site first gets a
    "you are leaving" page naming it, so the hub's address cannot front a phishing link.
    """
    storefront = selectors.storefront_by_slug(slug=slug)
    if storefront is None or not (
        storefront.is_active
        or selectors.storefront_is_owners(storefront=storefront, request=request)
    ):
        raise Http404("No such storefront.")
    offer = get_object_or_404(storefront.offers.filter(is_active=True), pk=offer_id)
    if not links.is_web_url(offer.url):
        # Stored before links had to be http(s): never followed.
        raise Http404("This offer has no web link.")
    if selectors.visit_counts(storefront=storefront, request=request):
        services.offer_click_record(
            offer=offer, day=selectors.storefront_local_date(storefront=storefront)
        )
    if links.is_mintkit_url(offer.url):
        response = HttpResponseRedirect(offer.url)
    else:
        response = render(
            request,
            "storefronts/leaving.html",
            {
                "storefront": storefront,
                "offer": offer,
                "host": links.display_host(offer.url),
            },
        )
        response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
