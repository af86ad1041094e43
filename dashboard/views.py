"""The owner's dashboard (profile, storefront and billing panels) and data export."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import owner_login_required
from accounts.forms import ProfileCreateForm
from accounts.ownership import owner_profile
from accounts.phones import phone_display
from accounts.selectors import profile_for_user
from accounts.services import profile_create
from billing.dashboard import billing_panel
from billing.services import subscription_refresh_if_stale
from sales.dashboard import sales_panel
from storefronts.dashboard import storefront_panel

from .export import business_export
from .onboarding import onboarding_for


@owner_login_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    profile = profile_for_user(user=request.user)
    if profile is None:
        return _profile_create(request)
    # A subscription past its period end is re-read from Stripe (a late or lost webhook).
    subscription = subscription_refresh_if_stale(profile=profile)
    storefront = storefront_panel(profile=profile)
    context = {
        "profile": profile,
        "phone": phone_display(profile.phone),
        **storefront,
        **billing_panel(profile=profile, subscription=subscription),
        **onboarding_for(
            profile=profile, storefront=storefront["storefront"], subscription=subscription
        ),
        **share_panel(request, storefront=storefront["storefront"]),
        **sales_panel(profile=profile),
    }
    return render(request, "accounts/dashboard.html", context)


def share_panel(request, *, storefront) -> dict:
    """Context for ``accounts/includes/share_panel.html``: the storefront's public link."""
    if storefront is None:
        return {"share_url": ""}
    return {"share_url": request.build_absolute_uri(storefront.get_absolute_url())}


def _profile_create(request):
    """A signed-in user without a business profile sets one up instead of hitting an error."""
    form = ProfileCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile_create(user=request.user, business_name=form.cleaned_data["business_name"])
        messages.success(request, "Your business profile is ready.")
        return redirect("accounts:dashboard")
    return render(request, "accounts/profile_create.html", {"form": form})


@owner_login_required
@require_GET
@never_cache
def data_export(request):
    """Download everything the hub holds about the owner's business, as JSON."""
    profile = owner_profile(request)
    filename = f"mintkit-{slugify(profile.business_name) or 'business'}-{timezone.localdate()}.json"
    response = JsonResponse(business_export(profile=profile), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
