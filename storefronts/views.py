"""Storefront views: the owner's editor, its publish switch, QR codes and stats.

Each owner view answers at ``/dashboard/storefronts/<slug>/…`` for any of the owner's
storefronts, and at the older ``/dashboard/storefront/…`` for the first (oldest) one
(``slug=None``). The list and the "new storefront" page are in ``several.py``.

Every owner view is behind ``owner_login_required``, like the dashboard (a verified
e-mail too when verification is mandatory), and reaches the storefront through
``accounts.ownership``. The public page is in ``public_views.py``.
"""

import io

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

import qrcode
import qrcode.image.svg

from accounts.decorators import owner_login_required
from accounts.ownership import owned, owner_profile

from . import selectors, services
from .charts import daily_chart
from .forms import StorefrontEditor
from .limits import StorefrontLimitReached
from .models import Storefront
from .owner_urls import owner_urls
from .pending_uploads import pending_uploads_keep
from .several import limit_refusal
from .sources import qr_target
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
