"""An owner's several storefronts: the list at ``/dashboard/storefronts/`` and a new one at
``/dashboard/storefronts/new/``, as many as the plan allows (``limits.py``).

The limit is checked again in the service (``services.storefront_create``) under a lock on
the profile, so a forged or repeated POST past the limit creates nothing.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import owner_login_required
from accounts.ownership import owner_profile

from . import selectors, services
from .limits import StorefrontLimitReached, storefront_limit
from .models import Storefront
from .owner_urls import owner_urls


class StorefrontCreateForm(forms.Form):
    """Name and web address; everything else is filled in in the editor afterwards."""

    name = forms.CharField(
        label="Name", max_length=80, help_text="As customers should see it, e.g. Mint & Co Leeds."
    )
    # The same checks and wording as the editor's web address (selectors.slug_availability).
    slug = forms.CharField(
        label="Web address",
        max_length=50,
        help_text="Lowercase letters, numbers and hyphens, e.g. mint-and-co-leeds.",
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Give the storefront a name.")
        return name

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").strip().lower()
        result = selectors.slug_availability(slug=slug, storefront=None)
        if result.status == selectors.SlugAvailability.TAKEN:
            raise ValidationError("That address is already taken. Please choose another.")
        if result.status == selectors.SlugAvailability.INVALID:
            raise ValidationError(result.message)
        return slug


def limit_refusal(
    request: HttpRequest,
    *,
    limit: int,
    doing: str,
    storefront: Storefront | None = None,
    status: int = 403,
) -> HttpResponse:
    """The page that says the plan's limit is reached, with the way to more (``/pricing/``).
    ``doing`` is "create" or "publish"."""
    return render(
        request,
        "storefronts/limit_reached.html",
        {
            "limit": limit,
            "doing": doing,
            "storefront": storefront,
            "editor_url": owner_urls(storefront=storefront)["edit"] if storefront else None,
        },
        status=status,
    )


@owner_login_required
@require_http_methods(["GET"])
def storefront_list(request):
    """The owner's storefronts, oldest first, with state, views and clicks (30 days)."""
    profile = owner_profile(request)
    storefronts = list(selectors.storefronts_with_totals(profile=profile))
    limit = storefront_limit(profile=profile)
    rows = [(s, owner_urls(storefront=s)) for s in storefronts]
    return render(
        request,
        "storefronts/list.html",
        {
            "rows": rows,
            "limit": limit,
            "can_create": len(storefronts) < limit,
            "published": sum(1 for s in storefronts if s.is_active),
            "unpublished_by_plan": [
                s for s in storefronts if s.unpublished_by_plan_at and not s.is_active
            ],
        },
    )


@owner_login_required
@require_http_methods(["GET", "POST"])
def storefront_create(request):
    """A new storefront: name and address, then on to its editor. Over the limit, GET
    explains (with the upgrade link) and POST is refused (403) and creates nothing."""
    profile = owner_profile(request)
    limit = storefront_limit(profile=profile)
    count = Storefront.objects.filter(profile=profile).count()
    if count >= limit:
        return limit_refusal(
            request, limit=limit, doing="create", status=200 if request.method == "GET" else 403
        )
    if request.method == "POST":
        form = StorefrontCreateForm(request.POST)
        if form.is_valid():
            try:
                storefront = services.storefront_create(
                    profile=profile, name=form.cleaned_data["name"], slug=form.cleaned_data["slug"]
                )
            except StorefrontLimitReached as exc:  # another request got there first
                return limit_refusal(request, limit=exc.limit, doing="create")
            except IntegrityError:  # the address was taken between the check and the save
                form.add_error("slug", "That address is already taken. Please choose another.")
            else:
                messages.success(
                    request,
                    f"{storefront.name} is created. Fill it in, then publish it when you're ready.",
                )
                return redirect(owner_urls(storefront=storefront)["edit"])
        status = 400
    else:
        form = StorefrontCreateForm()
        status = 200
    return render(
        request,
        "storefronts/create.html",
        {"form": form, "limit": limit, "count": count},
        status=status,
    )
