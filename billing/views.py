"""Billing, Studio and entitlement API views: thin wrappers around services and selectors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import ParamSpec, Protocol, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import owner_login_required as _owner_login_required
from accounts.ownership import owner_profile
from core.api_keys import api_key_required

from . import services, stripe_client, stripe_data
from .banner import billing_state_for, studio_story
from .dashboard import billing_panel
from .entitlements import entitlement_for
from .models import SubscriptionPlan
from .plan_change import PlanChangeRefused, plan_change_apply, plan_change_preview
from .pricing import interval_parse, plan_amount_for, plan_price_id_for
from .selectors import (
    mintkit_access_for_external_id,
    plans_active,
    subscription_for_stripe_id,
    subscription_live,
)
from .studio_token import studio_token_create
from .webhooks import event_receive

log = logging.getLogger(__name__)

_P = ParamSpec("_P")


class _ViewDecorator(Protocol):
    def __call__(self, view: Callable[_P, HttpResponse], /) -> Callable[_P, HttpResponse]: ...


# accounts.decorators is not typed: the same decorator, declared to keep the view's signature.
owner_login_required: _ViewDecorator = _owner_login_required


class SeeOther(HttpResponseRedirect):
    status_code = 303


def _abs(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(reverse(name))


PRICING_URL = "/pricing/"

# Session key: the plan a logged-out visitor chose before signing up or logging in, and when.
AUTO_CHECKOUT_SESSION_KEY = "billing_auto_checkout"
AUTO_CHECKOUT_MAX_AGE_SECONDS = 3600


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """GET: a one-button page, so sign-up can come straight back here; POST: create the
    Checkout Session (or open the portal) and 303 to Stripe.

    billing.js presses the button only for an owner who chose this plan while logged out
    and has just signed up or logged in (a one-time session flag). Any other GET — a link
    from another site included — shows the button and waits for the owner.
    """
    if not request.user.is_authenticated:
        if request.method == "GET":
            get_object_or_404(plans_active(), slug=plan_slug)
            request.session[AUTO_CHECKOUT_SESSION_KEY] = [plan_slug, int(time.time())]
            back = request.path
            if request.GET.get("interval") == "year":
                back += "?interval=year"
            next_url = urlencode({"next": back})
            return HttpResponseRedirect(f"{reverse('account_signup')}?{next_url}")
        return redirect_to_login(request.get_full_path())
    profile = owner_profile(request)
    data = request.POST if request.method == "POST" else request.GET
    interval = interval_parse(data.get("interval"))
    if interval is None:
        messages.error(request, "Choose monthly or yearly billing. Nothing was changed.")
        return SeeOther(PRICING_URL)
    if request.method == "POST" and subscription_live(profile=profile) is not None:
        # A subscriber changes plan (preview, then confirm): never a second subscription.
        plan = SubscriptionPlan.objects.filter(slug=plan_slug).first()
        if plan is None or not plan.is_active:
            messages.error(request, "That plan is not on sale. Nothing was changed.")
            return SeeOther(PRICING_URL)
        query = urlencode({"interval": interval})
        return SeeOther(f"{reverse('billing:plan_change', args=[plan.slug])}?{query}")
    plan = get_object_or_404(plans_active(), slug=plan_slug)
    if request.method == "GET":
        chosen = request.session.pop(AUTO_CHECKOUT_SESSION_KEY, None)
        auto_submit = (
            isinstance(chosen, list)
            and len(chosen) == 2
            and chosen[0] == plan.slug
            and time.time() - chosen[1] < AUTO_CHECKOUT_MAX_AGE_SECONDS
        )
        context = {
            "plan": plan,
            "auto_submit": auto_submit,
            "interval": interval,
            "amount": plan_amount_for(plan=plan, interval=interval),
        }
        return render(request, "billing/checkout_continue.html", context)
    success_url = _abs(request, "billing:success") + "?session_id={CHECKOUT_SESSION_ID}"
    try:
        kind, url = services.checkout_start(
            profile=profile,
            plan=plan,
            success_url=success_url,
            cancel_url=_abs(request, "billing:cancel"),
            portal_return_url=request.build_absolute_uri("/dashboard/"),
            price_id=plan_price_id_for(plan=plan, interval=interval),
        )
    except services.BillingUnavailable:
        messages.error(
            request,
            "We couldn't reach our payment provider. Nothing was charged; "
            "please try again in a minute.",
        )
        return SeeOther(reverse("billing:studio"))
    if url is None:
        # A live subscription but no Stripe customer on file to open the portal for.
        messages.info(request, "You already have a subscription — see its state below.")
        return SeeOther(reverse("accounts:dashboard"))
    if kind == "portal":
        messages.info(request, "You already have a subscription — manage it here.")
    return SeeOther(url)


@owner_login_required
@require_http_methods(["GET", "POST"])
def plan_change(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """GET: what switching to ``plan_slug`` would do (Stripe's preview); POST: do it."""
    profile = owner_profile(request)
    plan = get_object_or_404(SubscriptionPlan, slug=plan_slug)
    data = request.POST if request.method == "POST" else request.GET
    interval = interval_parse(data.get("interval"))
    if interval is None:
        messages.error(request, "Choose monthly or yearly billing. Nothing was changed.")
        return HttpResponseRedirect(PRICING_URL)
    try:
        if request.method == "GET":
            preview = plan_change_preview(profile=profile, plan=plan, interval=interval)
            return render(request, "billing/plan_change.html", {"preview": preview})
        row = plan_change_apply(profile=profile, plan=plan, interval=interval)
    except PlanChangeRefused as exc:
        messages.error(request, f"{exc} Nothing was changed.")
        return HttpResponseRedirect(PRICING_URL)
    except services.BillingUnavailable:
        messages.error(
            request,
            "We couldn't reach our payment provider. Nothing was changed; "
            "please try again in a minute.",
        )
        return HttpResponseRedirect(PRICING_URL)
    name = row.plan.name if row and row.plan else plan.name
    messages.success(request, f"You're now on the {name} plan, billed {interval}ly.")
    return SeeOther("/dashboard/")


@owner_login_required
@require_GET
def success(request: HttpRequest) -> HttpResponse:
    """Shows what Stripe says happened (never the query string's word for it) and records
    the subscription at once if the webhook has not arrived yet."""
    profile = owner_profile(request)
    try:
        session = services.checkout_session_for_owner(
            profile=profile, session_id=request.GET.get("session_id", "")
        )
        if session is not None and session.status == "complete":
            services.checkout_session_apply(session=session)
    except (services.BillingUnavailable, stripe_client.StripeError):
        return render(request, "billing/success.html", {"unavailable": True}, status=503)
    if session is None:
        return render(request, "billing/success.html", {"not_found": True}, status=404)
    panel = billing_panel(profile=profile)
    checkout_subscription = subscription_for_stripe_id(
        profile=profile, subscription_id=stripe_data.id_of(session.subscription) or ""
    )
    context = {"session": session, "checkout_subscription": checkout_subscription, **panel}
    return render(request, "billing/success.html", context)


@owner_login_required
@require_GET
def cancel(request: HttpRequest) -> HttpResponse:
    owner_profile(request)
    return render(request, "billing/cancel.html")


def _to_portal(request: HttpRequest, *, unreachable: str, flow: str | None = None) -> HttpResponse:
    """The owner sent into the Stripe billing portal (at ``flow`` when given), which brings
    them back to the dashboard; when Stripe can't be reached, an error and the ``unreachable``
    page; without a subscription, the Studio page."""
    profile = owner_profile(request)
    try:
        url = services.portal_url_create(
            profile=profile, return_url=request.build_absolute_uri("/dashboard/"), flow=flow
        )
    except services.BillingUnavailable:
        messages.error(request, "We couldn't reach our payment provider; please try again.")
        return SeeOther(reverse(unreachable))
    if url is None:
        messages.info(request, "You have no subscription yet — choose a plan.")
        return SeeOther(reverse("billing:studio"))
    return SeeOther(url)


@owner_login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    return _to_portal(request, unreachable="billing:studio")


@owner_login_required
@require_GET
def portal_card(request: HttpRequest) -> HttpResponse:
    """The "Update your card" link of the payment-failed e-mail: the Stripe portal opened at
    its card form (a GET, since it comes from an e-mail; it only opens a portal session)."""
    return _to_portal(request, unreachable="accounts:dashboard", flow="payment_method_update")


# Stripe calls this without a CSRF token; the signature is the authentication.
@csrf_exempt
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    try:
        if int(request.headers.get("content-length") or 0) > stripe_client.WEBHOOK_MAX_BYTES:
            raise stripe_client.WebhookRefused("payload too large")
        event = stripe_client.webhook_event_verify(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except (stripe_client.WebhookRefused, RequestDataTooBig, ValueError) as exc:
        reason = str(exc) if isinstance(exc, stripe_client.WebhookRefused) else "bad request"
        # A mode or version mismatch is a misconfigured endpoint (or a replay from the other
        # mode): say so loudly, every time, so it shows up in the logs at once.
        loud = "livemode" in reason or "api_version" in reason
        log.log(logging.ERROR if loud else logging.WARNING, "Stripe webhook refused: %s", reason)
        return JsonResponse({"error": reason}, status=400)
    row, ok = event_receive(event=event)
    event_id, event_type = event["id"], event["type"]
    if not ok:
        return JsonResponse({"error": "processing failed", "event": event_id}, status=500)
    return JsonResponse({"received": event_id, "type": event_type, "outcome": row.outcome})


@owner_login_required
@require_GET
def studio(request: HttpRequest) -> HttpResponse:
    profile = owner_profile(request)
    services.subscription_refresh_if_stale(profile=profile)
    panel = billing_panel(profile=profile)
    context = {**panel}
    if not panel["entitlement"].studio_access:
        # One story per state (billing.banner): plans only when choosing one is the way in.
        state = billing_state_for(profile=profile, panel=panel)
        context["story"] = studio_story(state=state, subscription=panel["subscription"])
        if context["story"]["plans"]:
            context["plans"] = plans_active()
    return render(request, "billing/studio.html", context)


@owner_login_required
@require_http_methods(["GET", "POST"])
def studio_launch(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # Launching mints a one-time token, so only the Studio page's form (POST) does it; a
        # bookmarked or typed launch URL lands on that page instead of a blank 405.
        return SeeOther(reverse("billing:studio"))
    profile = owner_profile(request)
    now = timezone.now()
    services.subscription_refresh_if_stale(profile=profile, now=now)
    if not entitlement_for(profile=profile, now=now).studio_access:
        return render(request, "billing/studio_forbidden.html", status=403)
    access = services.mintkit_access_record(profile=profile, now=now)
    token = studio_token_create(external_id=access.external_id, now=now.timestamp())
    studio_url = cast("str", settings.MINTKIT_STUDIO_URL)  # (env_str with a default: a str)
    separator = "&" if "?" in studio_url else "?"
    return SeeOther(f"{studio_url}{separator}{urlencode({'token': token})}")


@require_GET
def me_entitlement(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"error": "authentication required"}, status=401)
    profile = owner_profile(request)
    return JsonResponse(entitlement_for(profile=profile).as_json())


@require_GET
@api_key_required
def entitlement_by_external_id(request: HttpRequest, external_id: str) -> HttpResponse:
    access = mintkit_access_for_external_id(external_id=external_id)
    if access is None:
        return JsonResponse({"error": "unknown external id"}, status=404)
    return JsonResponse(entitlement_for(profile=access.profile).as_json())
