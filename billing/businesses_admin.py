"""wagtail-modeladmin views for this app's models (not registered here).

``home/wagtail_hooks.py`` gathers every app's ``MODELADMINS`` into the "MintKit" admin menu.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from allauth.account.models import EmailAddress

from accounts.models import Profile
from core.modeladmin import MenuLabelIndexView

if TYPE_CHECKING:
    from .entitlements import Entitlement


class TrialFilter(SimpleListFilter):
    title = "hub trial"
    parameter_name = "trial"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("running", "Running"), ("ended", "Ended")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Profile]) -> QuerySet[Profile]:
        cutoff = timezone.now() - timedelta(days=settings.HUB_TRIAL_DAYS)
        if self.value() == "running":
            return queryset.filter(trial_started_at__gt=cutoff)
        if self.value() == "ended":
            return queryset.filter(trial_started_at__lte=cutoff)
        return queryset


# The filter's values → billing.entitlements' ``source`` and the words the list shows.
ACCESS_STATES = {
    "trial": ("trial", "Trial"),
    "subscribed": ("subscription", "Subscribed"),
    "grace": ("grace", "Grace"),
    "none": (None, "No access"),
}
ACCESS_LABELS = {source: label for source, label in ACCESS_STATES.values()}


def profiles_with_access_facts(queryset: QuerySet[Profile]) -> QuerySet[Profile]:
    """``queryset`` with what the entitlement rule needs, in a fixed number of queries:
    ``email_verified`` (annotated) and ``current_subscriptions`` (prefetched, with plans)."""
    from .models import Subscription

    return queryset.annotate(
        email_verified=Exists(
            EmailAddress.objects.filter(user_id=OuterRef("user_id"), verified=True)
        )
    ).prefetch_related(
        Prefetch(
            "subscriptions",
            queryset=Subscription.objects.filter(is_current=True).select_related("plan"),
            to_attr="current_subscriptions",
        )
    )


def profile_entitlement(profile: Profile, *, now: datetime | None = None) -> Entitlement:
    """billing.entitlements' decision for a profile from ``profiles_with_access_facts``."""
    from .entitlements import entitlement_for

    facts: Any = profile  # with the annotation and the prefetch the stubs cannot see
    current = facts.current_subscriptions
    return entitlement_for(
        profile=profile,
        now=now,
        subscription=current[0] if current else None,
        email_verified=facts.email_verified,
    )


class AccessStateFilter(SimpleListFilter):
    """Studio access as billing.entitlements decides it. The rule (stale rows, scheduled
    cancellations, grace, verified e-mail) lives in Python, so it is applied to the rows
    rather than rewritten in SQL: two queries whatever the number of businesses. Expects
    the queryset of ``ProfileAdmin.get_queryset`` (``profiles_with_access_facts``)."""

    title = "access"
    parameter_name = "access"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, label) for value, (_source, label) in ACCESS_STATES.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Profile]) -> QuerySet[Profile]:
        value = self.value()
        if value is None or value not in ACCESS_STATES:
            return queryset
        wanted = ACCESS_STATES[value][0]
        now = timezone.now()
        matching = [
            profile.pk
            for profile in queryset.order_by()
            if profile_entitlement(profile, now=now).source == wanted
        ]
        return queryset.filter(pk__in=matching)


class ProfilePermissionHelper(PermissionHelper):
    """Profiles come from sign-up, and deleting one must go through ``account_delete``
    (which cancels subscriptions first), so the admin neither creates nor deletes them."""

    def user_can_create(self, user: Any) -> bool:
        return False

    def user_can_delete_obj(self, user: Any, obj: Any) -> bool:
        return False


class ProfileAdmin(ModelAdmin):
    model = Profile
    menu_label = "Businesses"
    index_view_class = MenuLabelIndexView
    menu_icon = "group"
    list_display = ("business_name", "login_email", "plan", "access", "created_at")
    list_filter = (AccessStateFilter, TrialFilter, "created_at")
    search_fields = ("business_name", "user__email", "contact_email")
    list_select_related = ("user",)
    ordering = ("business_name",)
    inspect_view_enabled = True
    index_view_extra_css = ["css/admin-lists.css"]
    inspect_view_fields = (
        "business_name",
        "user",
        "contact_email",
        "phone",
        "logo",
        "trial_started_at",
        "created_at",
        "updated_at",
    )
    permission_helper_class = ProfilePermissionHelper
    panels = [FieldPanel("business_name"), FieldPanel("contact_email"), FieldPanel("phone")]

    @staticmethod
    @admin.display(description="Log-in e-mail")
    def login_email(obj: Profile) -> str:
        return obj.user.email

    def get_queryset(self, request: HttpRequest) -> QuerySet[Profile]:
        return profiles_with_access_facts(super().get_queryset(request))

    @staticmethod
    def plan(obj: Any) -> str:
        current = obj.current_subscriptions
        return current[0].plan.name if current and current[0].plan else "—"

    @staticmethod
    @admin.display(description="Access")
    def access(obj: Profile) -> str:
        entitlement = profile_entitlement(obj)
        label = ACCESS_LABELS[entitlement.source]
        until = {"trial": entitlement.trial_ends_at, "grace": entitlement.grace_ends_at}.get(
            entitlement.source or ""
        )
        return f"{label} until {date_format(localtime(until), 'j M Y')}" if until else label


MODELADMINS: list[type[ModelAdmin]] = [ProfileAdmin]
