"""Template helpers for prices and the free first period."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.conf import settings
from django.template import Context

if TYPE_CHECKING:
    from accounts.models import Profile
    from billing.models import Subscription
    from billing.pricing import Pricing

from billing.money import money_display

register = template.Library()


@register.filter
def money(amount_minor: int | str | None, currency: str | None = "gbp") -> str:
    """900, "gbp" → "£9.00" (``billing.money.money_display``: always with pence)."""
    return money_display(None if amount_minor is None else int(amount_minor), currency)


def _viewer_profile(context: Context) -> Profile | None:
    """The signed-in owner's profile for this request (looked up once), or None."""
    from accounts.models import Profile
    from accounts.selectors import profile_for_user

    request = context.get("request")
    user = getattr(request, "user", None)  # none on a page rendered before middleware ran
    if request is None or user is None or not user.is_authenticated:
        return None
    if not hasattr(request, "_billing_viewer_profile"):
        # The view has usually loaded it already: in its context, or cached on the user.
        cached = context.get("profile")
        if not isinstance(cached, Profile) or cached.user_id != user.pk:
            cached = user._state.fields_cache.get("profile")
        request._billing_viewer_profile = cached or profile_for_user(user=user)
    profile: Profile | None = request._billing_viewer_profile
    return profile


def _viewer_subscription(context: Context) -> Subscription | None:
    from billing.selectors import subscription_current

    request = context["request"]
    if not hasattr(request, "_billing_viewer_subscription") and "entitlement" in context:
        # A page with the billing panel (dashboard, Studio) has loaded it already.
        request._billing_viewer_subscription = context.get("subscription")
    if not hasattr(request, "_billing_viewer_subscription"):
        profile = _viewer_profile(context)
        request._billing_viewer_subscription = (
            subscription_current(profile=profile) if profile is not None else None
        )
    subscription: Subscription | None = request._billing_viewer_subscription
    return subscription


def _viewer_free_month(context: Context) -> bool:
    """Whether plan cards may offer the free first period: from the billing panel's context
    when the page has one (``/studio/``), else looked up once per request."""
    from billing.dashboard import free_month_for

    if "stripe_free_month" in context:
        return bool(context["stripe_free_month"])
    profile = _viewer_profile(context)
    if profile is None:
        return True  # a visitor: their first subscription will have it
    request = context["request"]
    if not hasattr(request, "_billing_free_month"):
        request._billing_free_month = free_month_for(
            profile=profile, subscription=_viewer_subscription(context)
        )
    return bool(request._billing_free_month)


@register.simple_tag(takes_context=True)
def viewer_may_see_offers(context: Context) -> bool:
    """Whether the site's announcement (an offer to newcomers, such as the free first month)
    is for whoever is looking: visitors and owners who could still take it up — never a
    subscriber or a returning customer, whose billing story is the billing-state banner."""
    return _viewer_free_month(context)


@register.simple_tag(takes_context=True)
def stripe_trial_note(context: Context) -> str:
    """ "First month free" (or "First N days free") for a first-ever subscription; nothing
    for a signed-in owner who has had it (see ``selectors.stripe_free_month_available``)."""
    days = settings.STRIPE_TRIAL_DAYS
    if days <= 0 or not _viewer_free_month(context):
        return ""
    if 28 <= days <= 31:
        return "First month free"
    return f"First {days} days free"


@register.simple_tag(takes_context=True)
def viewer_no_trial_notes(context: Context) -> list[str]:
    """For the pricing page: why the signed-in owner gets no free trial or month."""
    from billing.dashboard import no_trial_notes

    profile = _viewer_profile(context)
    if profile is None:
        return []
    return no_trial_notes(
        profile=profile,
        subscription=_viewer_subscription(context),
        free_month=_viewer_free_month(context),
    )


@register.simple_tag(takes_context=True)
def viewer_pricing(context: Context, plans: Any = None) -> Pricing:
    """The plan cards for whoever is looking (``billing.pricing.pricing_for``), at the
    interval the page's ``?interval=`` asks for (monthly unless it says ``year``)."""
    from billing.pricing import interval_parse, pricing_for

    request = context.get("request")
    asked = request.GET.get("interval") if request is not None else None
    interval = interval_parse(asked) or "month"
    profile = _viewer_profile(context)
    subscription = _viewer_subscription(context) if profile is not None else None
    return pricing_for(
        profile=profile,
        subscription=subscription,
        free_month=_viewer_free_month(context),
        interval=interval,
        plans=plans,
    )


@register.inclusion_tag("billing/includes/state_banner.html", takes_context=True)
def billing_state_banner(context: Context) -> dict[str, Any]:
    """The one billing-state banner (``billing.banner.billing_banner``) for a signed-in
    owner; nothing for visitors and staff without a business."""
    from billing.banner import billing_banner

    profile = _viewer_profile(context)
    if profile is None:
        return {"banner": None}
    request = context["request"]
    if not hasattr(request, "_billing_state_banner"):
        request._billing_state_banner = billing_banner(
            profile=profile,
            subscription=_viewer_subscription(context),
            ent=context.get("entitlement"),
        )
    return {"banner": request._billing_state_banner, "csrf_token": context.get("csrf_token")}
