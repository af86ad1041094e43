from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.decorators import owner_login_required
from accounts.ownership import owner_profile

from .forms import EmailPreferencesForm
from .services import email_preferences_for, email_preferences_update


@owner_login_required
@require_POST
def preferences_update(request):
    """Save "E-mail me about…" from the business profile page (its own small form)."""
    profile = owner_profile(request)
    form = EmailPreferencesForm(request.POST, instance=email_preferences_for(profile=profile))
    if form.is_valid():  # two checkboxes: anything posted is a valid yes/no
        email_preferences_update(
            profile=profile,
            product_tips=form.cleaned_data["product_tips"],
            storefront_news=form.cleaned_data["storefront_news"],
        )
        messages.success(request, "Your e-mail choices are saved.")
    return redirect("accounts:profile")
