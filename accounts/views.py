"""Owner pages: the dashboard, the business profile and account deletion."""


from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from billing.dashboard import billing_panel
from billing.services import BillingUnavailable, subscription_refresh_if_stale
from storefronts.dashboard import storefront_panel

from .decorators import owner_login_required
from .export import business_export
from .forms import AccountDeleteForm, ProfileCreateForm, ProfileForm
from .ownership import owner_profile
from .phones import phone_display
from .selectors import profile_for_user
from .services import account_delete, profile_create, profile_update


@owner_login_required
@require_http_methods(["GET", "POST"])
def dashboard(request):
    profile = profile_for_user(user=request.user)
    if profile is None:
        return _profile_create(request)
    # A subscription past its period end is re-read from Stripe (a late or lost webhook).
    subscription_refresh_if_stale(profile=profile)
    context = {
        "profile": profile,
        "phone": phone_display(profile.phone),
        **storefront_panel(profile=profile),
        **billing_panel(profile=profile),
    }
    return render(request, "accounts/dashboard.html", context)


def _profile_create(request):
    """A signed-in user without a business profile sets one up instead of hitting an error."""
    form = ProfileCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile_create(user=request.user, business_name=form.cleaned_data["business_name"])
        messages.success(request, "Your business profile is ready.")
        return redirect("accounts:dashboard")
    return render(request, "accounts/profile_create.html", {"form": form})


@owner_login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = profile_for_user(user=request.user)
    if profile is None:
        return redirect("accounts:dashboard")
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        profile_update(
            profile=form.save(commit=False),
            logo_upload=form.cleaned_data.get("logo_upload"),
            remove_logo=form.cleaned_data.get("remove_logo", False),
        )
        messages.success(request, "Your business profile is saved.")
        return redirect("accounts:dashboard")
    if request.method == "POST":
        # The form kept the typed values; the instance must not show them as saved.
        profile.refresh_from_db()
    return render(request, "accounts/profile_form.html", {"form": form, "profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(user=request.user)
        except BillingUnavailable:
            # Deleting the account without cancelling the subscription would keep charging
            # someone who can no longer log in; account_delete rolled everything back.
            messages.error(
                request,
                "We couldn't reach our payment provider to cancel your subscription, so "
                "nothing was deleted. Please try again in a few minutes.",
            )
            return redirect("accounts:delete")
        logout(request)
        messages.success(
            request, "Your account, business profile and storefront have been deleted."
        )
        return redirect("/")
    profile = profile_for_user(user=request.user)
    return render(request, "accounts/account_delete.html", {"form": form, "profile": profile})


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
