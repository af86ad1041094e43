"""Storefront views: the owner's editor and the public page.

Each owner view answers at ``/dashboard/storefronts/<slug>/…`` for any of the owner's
storefronts, and at the older ``/dashboard/storefront/…`` for the first (oldest) one
(``slug=None``). The list and the "new storefront" page are in ``several.py``.

Every owner view is behind ``owner_login_required``, like the dashboard (a verified
e-mail too when verification is mandatory), and reaches the storefront through
``accounts.ownership``; the public view shows drafts only to their owner and staff
(everyone else gets the same 404 as for a slug that does not exist).
"""

import io

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

import qrcode
import qrcode.image.svg

from accounts.decorators import owner_login_required
from accounts.ownership import owned, owner_profile
from core import pagecache

from . import heads, links, selectors, services
from .charts import daily_chart
from .forms import StorefrontEditor
from .hours import opening_status
from .limits import StorefrontLimitReached
from .models import Storefront
from .owner_urls import owner_urls
from .pending_uploads import pending_uploads_keep
from .public import public_page_parts, public_page_version
from .several import limit_refusal
from .sources import qr_target, visit_source
from .stats_panels import stats_panels_for


def _owned_storefront(request, slug: str | None = None) -> Storefront | None:
    """The owner's storefront with ``slug``, or their first (oldest) one for ``None``."""
    storefronts = owned(Storefront.objects.select_related("logo", "cover", "profile"), request)
    if slug is not None:
        return storefronts.filter(slug=slug).first()
    return storefronts.order_by("pk").first()


def _owned_storefront_or_404(request, slug: str | None = None) -> Storefront:
    """Another owner's slug is a 404 like one that does not exist."""
    storefront = _owned_storefront(request, slug)
    if storefront is None:
        raise Http404("No storefront yet." if slug is None else "No such storefront.")
    return storefront


def _suggested_slug(name: str) -> str:
    slug = slugify(name)[:50].strip("-")
    if slug and selectors.slug_availability(slug=slug, storefront=None).status == "available":
        return slug
    return ""


@owner_login_required
def storefront_edit(request, slug=None):
    """Create (the first) or edit a storefront, its offers, hours and special dates on one
    page."""
    profile = owner_profile(request)
    if slug is None:
        storefront = _owned_storefront(request)
    else:
        storefront = _owned_storefront_or_404(request, slug)
    is_new = storefront is None
    if is_new:
        storefront = Storefront(profile=profile)
    # Before the form touches the instance: a refused rename keeps the current address.
    urls = owner_urls(storefront=storefront, first=slug is None)
    if request.method == "POST":
        editor = StorefrontEditor(
            instance=storefront, data=request.POST, files=request.FILES, profile=profile
        )
        if editor.is_valid():
            try:
                storefront = services.storefront_save(editor=editor, profile=profile)
            except StorefrontLimitReached as exc:
                return limit_refusal(request, limit=exc.limit, doing="create")
            messages.success(
                request,
                "Storefront created. Publish it when you're ready for customers to see it."
                if is_new
                else "Your changes are saved.",
            )
            return redirect(owner_urls(storefront=storefront, first=slug is None)["edit"])
        # The browser forgets chosen files on a refused submit: keep the valid ones.
        pending_uploads_keep(form=editor.form, profile=profile)
        status = 400
    else:
        editor = StorefrontEditor(instance=storefront, profile=profile)
        if is_new:
            # Contact e-mail and phone stay blank: the storefront uses the profile's.
            editor.form.initial.update(
                name=profile.business_name, slug=_suggested_slug(profile.business_name)
            )
        status = 200
    return render(
        request,
        "storefronts/editor.html",
        {
            "editor": editor,
            "storefront": storefront,
            "is_new": is_new,
            "owner_urls": urls,
        },
        status=status,
    )


@owner_login_required
@require_POST
def storefront_publish(request, slug=None):
    """Publish or unpublish: its own POST so the owner decides deliberately."""
    storefront = _owned_storefront_or_404(request, slug)
    editor_url = owner_urls(storefront=storefront, first=slug is None)["edit"]
    action = request.POST.get("action")
    if action not in ("publish", "unpublish"):
        return HttpResponse("Unknown action.", status=400)
    try:
        services.storefront_set_active(storefront=storefront, active=action == "publish")
    except StorefrontLimitReached as exc:
        return limit_refusal(request, limit=exc.limit, doing="publish", storefront=storefront)
    if storefront.is_active:
        messages.success(request, "Your storefront is live: anyone with the link can see it.")
    else:
        messages.success(
            request,
            "Your storefront is unpublished: only you can see it now. Visitors get "
            "“page not found”.",
        )
    return redirect(editor_url)


@owner_login_required
@require_GET
def slug_check(request, slug=None):
    """Live availability check for the editor: available / taken / invalid, nothing more."""
    owner_profile(request)
    if slug is None:
        storefront = _owned_storefront(request)
    else:
        storefront = _owned_storefront_or_404(request, slug)
    slug = request.GET.get("slug", "").strip().lower()
    result = selectors.slug_availability(slug=slug, storefront=storefront)
    body = {"slug": slug, "status": str(result.status)}
    if result.status == selectors.SlugAvailability.INVALID:
        body["message"] = result.message
    return JsonResponse(body)


def _qr(request, storefront: Storefront, *, image_factory):
    url = qr_target(request.build_absolute_uri(storefront.get_absolute_url()))
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image(image_factory=image_factory).save(buffer)
    return buffer.getvalue()


@owner_login_required
def storefront_qr_svg(request, slug=None):
    storefront = _owned_storefront_or_404(request, slug)
    response = HttpResponse(
        _qr(request, storefront, image_factory=qrcode.image.svg.SvgPathImage),
        content_type="image/svg+xml",
    )
    response["Content-Disposition"] = f'attachment; filename="{storefront.slug}-qr.svg"'
    return response


@owner_login_required
def storefront_qr_png(request, slug=None):
    storefront = _owned_storefront_or_404(request, slug)
    response = HttpResponse(_qr(request, storefront, image_factory=None), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{storefront.slug}-qr.png"'
    return response


@owner_login_required
def storefront_stats(request, slug=None):
    storefront = _owned_storefront_or_404(request, slug)
    stats = selectors.storefront_stats(storefront=storefront)
    return render(
        request,
        "storefronts/stats.html",
        {
            "storefront": storefront,
            "stats": stats,
            "chart": daily_chart(stats),
            "panels": stats_panels_for(storefront=storefront, stats=stats),
            "owner_urls": owner_urls(storefront=storefront, first=slug is None),
        },
    )


def _visible_storefront(request, slug: str) -> Storefront | None:
    storefront = selectors.storefront_by_slug(slug=slug)
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


def storefront_public(request, slug):
    """The public page. Drafts: owner and staff only, with a banner; others 404."""
    looked_up = False  # whether the cache was already asked for this page
    if pagecache.request_is_cacheable(request):
        hit, looked_up = _cached_public_page(request, slug)
        if hit is not None:
            return hit
    storefront = _visible_storefront(request, slug)
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
    )


def _cached_public_page(request, slug):
    """``(page, looked_up)``: an anonymous visitor's page straight from the cache, or None —
    then the full view renders (and stores) it, without asking the cache again when
    ``looked_up``.

    A hit is one cache round trip and no query: the slug's head (storefronts/heads.py), the
    site generation and the page, which carries the hours its "open now" line needs.
    The visit is counted only when this answers, so the full view never counts it twice.
    """
    if len(slug) > heads.SLUG_MAX_LENGTH:  # no storefront has it: no cache key that long
        return None, False
    key, page_key = heads.head_key(slug), pagecache.page_key(request)
    found = cache.get_many([key, pagecache.GENERATION_KEY, page_key])
    value = found.get(key)
    if value == heads.UNPUBLISHED:
        return None, False
    head = heads.head_from_value(slug, value) if value is not None else heads.head_load(slug)
    if head is None:
        return None, False
    version = public_page_version(storefront=head)
    hit = pagecache.cached_hit(
        request,
        version=version,
        # ``data``: the hours stored with the page (``storefront_public``).
        holes=lambda data: {OPENING_MARKER: _opening_html(head, data, version=version)},
        found=found,
        key=page_key,
    )
    if hit is not None and selectors.visit_counts(storefront=head, request=request):
        services.storefront_view_record(
            storefront=head.as_storefront(),
            day=selectors.storefront_local_date(storefront=head),
            source=visit_source(request),
        )
    return hit, True


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
