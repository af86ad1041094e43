"""Owner pages: the business profile and account deletion (the dashboard is in `dashboard/`)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .decorators import owner_login_required
from .events import AccountDeletionBlocked
from .forms import AccountDeleteForm, ProfileForm
from .selectors import profile_for_user
from .services import account_delete, profile_update


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
        except AccountDeletionBlocked:
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
