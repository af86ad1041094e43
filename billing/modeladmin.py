"""wagtail-modeladmin views for billing (gathered into the "MintKit" menu by
``home/wagtail_hooks.py``): plans (editable by superusers), subscriptions and Stripe events
(read-only), MintKit access records, and "Re-sync from Stripe" on a subscription.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods

from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import CreateView, EditView, InspectView

from core.modeladmin import (
    MenuLabelIndexView,
    ReadOnlyModelAdmin,
    SuperuserActionButtonHelper,
    action_confirm_page,
    superuser_action_url,
)

from . import services, stripe_client
from .entitlements import past_due_grace_ends_at, subscription_paid_until
from .models import MintKitAccess, StripeEvent, Subscription, SubscriptionPlan

if TYPE_CHECKING:
    from django.forms import ModelForm
    from django.http import HttpRequest, HttpResponse
    from django.urls import URLPattern


class SuperuserEditPermissionHelper(PermissionHelper):
    """Staff with view rights may look; only superusers change plans. Plans are never
    deleted (subscriptions point at them): deactivate instead."""

    def user_can_create(self, user: Any) -> bool:
        return bool(user.is_superuser)

    def user_can_edit_obj(self, user: Any, obj: Any) -> bool:
        return bool(user.is_superuser)

    def user_can_delete_obj(self, user: Any, obj: Any) -> bool:
        return False


class _SyncPlanMixin:
    """After a plan is saved, make sure Stripe has a matching Price (mixed into the create
    and edit views, which provide ``form_valid``, ``instance`` and ``request``)."""

    instance: SubscriptionPlan
    request: HttpRequest

    def form_valid(self, form: ModelForm[SubscriptionPlan]) -> HttpResponse:
        response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
        try:
            services.plan_sync_to_stripe(plan=self.instance)
            services.plan_yearly_price_sync(plan=self.instance)
        except stripe_client.StripeError as exc:
            messages.warning(
                self.request,
                f"Saved, but Stripe could not be updated ({exc.__class__.__name__}); run "
                "`python manage.py stripe_sync_plans` before selling this plan.",
            )
        return response


class PlanCreateView(_SyncPlanMixin, CreateView):
    pass


class PlanEditView(_SyncPlanMixin, EditView):
    pass


class SubscriptionPlanAdmin(ModelAdmin):
    model = SubscriptionPlan
    menu_label = "Plans"
    index_view_class = MenuLabelIndexView
    menu_icon = "tag"
    permission_helper_class = SuperuserEditPermissionHelper
    create_view_class = PlanCreateView
    edit_view_class = PlanEditView
    list_display = (
        "name",
        "slug",
        "price",
        "interval",
        "max_storefronts",
        "is_active",
        "sort_order",
        "stripe_price_id",
    )
    list_filter = ("is_active", "interval")
    search_fields = ("name", "slug", "stripe_price_id")
    form_fields_exclude = ("stripe_product_id", "stripe_price_id")

    def price(self, obj: SubscriptionPlan) -> str:
        from .money import money_display

        return money_display(obj.amount, obj.currency)


class SubscriptionButtonHelper(SuperuserActionButtonHelper):
    action = "resync"
    action_label = "Re-sync from Stripe"
    action_title = "Re-read this subscription from Stripe and fix any drift"


def _day(value: Any, *, time: bool = False) -> str:
    return date_format(localtime(value), "j M Y H:i" if time else "j M Y")


def stripe_dashboard_url(*, kind: str, object_id: str) -> str:
    """The object's page on Stripe's dashboard, in the mode (test or live) of the hub's key."""
    live = (settings.STRIPE_SECRET_KEY or "").startswith(("sk_live_", "rk_live_"))
    mode = "" if live else "test/"
    return f"https://dashboard.stripe.com/{mode}{kind}/{quote(object_id, safe='')}"


class SubscriptionInspectView(InspectView):
    """The owner's e-mail, and Stripe ids linking to the subscription and customer on
    Stripe's dashboard."""

    DASHBOARD_KINDS = {"stripe_subscription_id": "subscriptions", "stripe_customer_id": "customers"}

    def get_dict_for_field(self, field_name: str) -> dict[str, Any]:
        if field_name == "owner_email":
            return {"label": "Owner's log-in e-mail", "value": self.instance.profile.user.email}
        result: dict[str, Any] = super().get_dict_for_field(field_name)
        return result

    def get_field_display_value(self, field_name: str, field: Any = None) -> Any:
        value = super().get_field_display_value(field_name, field)
        kind = self.DASHBOARD_KINDS.get(field_name)
        object_id = getattr(self.instance, field_name, "") if kind else ""
        if not kind or not object_id:
            return value
        return format_html(
            '<a href="{}" target="_blank" rel="noopener noreferrer">{}</a> '
            "(opens Stripe's dashboard)",
            stripe_dashboard_url(kind=kind, object_id=object_id),
            object_id,
        )


class SubscriptionAdmin(ReadOnlyModelAdmin):
    """Six short columns that fit a 1366 px screen; Stripe's ids, the owner's e-mail and the
    cancellation details are on the inspect page (click a business)."""

    model = Subscription
    menu_label = "Subscriptions"
    menu_icon = "pick"
    button_helper_class = SubscriptionButtonHelper
    inspect_view_class = SubscriptionInspectView
    index_view_extra_css = ["css/admin-lists.css"]
    list_display = (
        "business",
        "plan",
        "status",
        "renews_or_ends",
        "past_due_since",
        "grace_ends",
        "dispute_status",
    )
    list_filter = ("status", "dispute_status", "is_current", "cancel_at_period_end", "plan")
    search_fields = (
        "profile__user__email",
        "profile__business_name",
        "stripe_subscription_id",
        "stripe_customer_id",
    )
    list_select_related = ("profile__user", "plan")
    inspect_view_fields = (
        "profile",
        "owner_email",
        "plan",
        "status",
        "is_current",
        "stripe_subscription_id",
        "stripe_customer_id",
        "trial_end",
        "current_period_start",
        "current_period_end",
        "cancel_at_period_end",
        "cancel_at",
        "past_due_since",
        "stripe_created",
        "latest_event_created",
        "synced_at",
        "created_at",
        "updated_at",
    )

    @admin.display(description="business", ordering="profile__business_name")
    def business(self, obj: Subscription) -> str:
        return obj.profile.business_name

    @admin.display(description="renews / ends", ordering="current_period_end")
    def renews_or_ends(self, obj: Subscription) -> str:
        if obj.status not in Subscription.LIVE_STATUSES:
            return "Ended"
        if obj.scheduled_end is not None:
            return f"Ends {_day(obj.scheduled_end)}"
        paid_until = subscription_paid_until(subscription=obj)
        if paid_until is None:
            return "—"
        word = "Trial ends" if obj.status == Subscription.Status.TRIALING else "Renews"
        return f"{word} {_day(paid_until)}"

    @admin.display(description="grace ends", ordering="past_due_since")
    def grace_ends(self, obj: Subscription) -> str:
        ends = past_due_grace_ends_at(subscription=obj)
        return _day(ends, time=True) if ends else "—"

    def get_admin_urls_for_registration(self) -> tuple[URLPattern, ...]:
        return (
            *super().get_admin_urls_for_registration(),
            superuser_action_url(self, "resync", self.resync_view),
        )

    def resync_view(self, request: HttpRequest, instance_pk: str) -> HttpResponse:
        return subscription_resync_view(request, self, instance_pk)


@require_http_methods(["GET", "POST"])
def subscription_resync_view(
    request: HttpRequest, model_admin: SubscriptionAdmin, instance_pk: str
) -> HttpResponse:
    """GET: confirm; POST: run the same code as ``manage.py stripe_reconcile`` for one row."""
    if not request.user.is_superuser:
        raise PermissionDenied
    subscription = get_object_or_404(Subscription, pk=instance_pk)
    if request.method == "POST":
        before = (
            subscription.status,
            subscription.cancel_at_period_end,
            subscription.cancel_at,
            subscription.current_period_end,
        )
        try:
            fresh = services.subscription_resync(subscription=subscription)
        except stripe_client.StripeError as exc:
            messages.error(request, f"Stripe could not be reached: {exc.__class__.__name__}.")
        else:
            assert fresh is not None  # an existing row is always one of ours
            after = (
                fresh.status,
                fresh.cancel_at_period_end,
                fresh.cancel_at,
                fresh.current_period_end,
            )
            word = "fixed drift" if after != before else "already matched Stripe"
            messages.success(
                request, f"{subscription.stripe_subscription_id}: {word} (status {fresh.status})."
            )
        return redirect(model_admin.url_helper.index_url)
    return action_confirm_page(
        request, model_admin, "billing/admin/resync_confirm.html", {"subscription": subscription}
    )


class StripeEventAdmin(ReadOnlyModelAdmin):
    model = StripeEvent
    menu_label = "Stripe events"
    menu_icon = "list-ul"
    list_display = (
        "stripe_id",
        "type",
        "outcome",
        "attempts",
        "stripe_created",
        "received_at",
        "processed_at",
    )
    list_filter = ("outcome", "type")
    search_fields = ("stripe_id", "type", "error")


class MintKitAccessAdmin(ReadOnlyModelAdmin):
    model = MintKitAccess
    menu_label = "Studio access"
    menu_icon = "link"
    list_display = ("profile", "external_id", "first_access_at", "last_access_at", "access_count")
    search_fields = ("external_id", "profile__user__email", "profile__business_name")
    list_select_related = ("profile",)


MODELADMINS: list[type[ModelAdmin]] = [
    SubscriptionPlanAdmin,
    SubscriptionAdmin,
    StripeEventAdmin,
    MintKitAccessAdmin,
]
