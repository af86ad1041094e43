"""wagtail-modeladmin views for this app's models (not registered here).

``home/wagtail_hooks.py`` gathers every app's ``MODELADMINS`` into the "MintKit" admin menu.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.admin import SimpleListFilter
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from allauth.account.models import EmailAddress

from accounts.models import Profile
from core.modeladmin import MenuLabelIndexView


class TrialFilter(SimpleListFilter):
    title = "hub trial"
    parameter_name = "trial"

    def lookups(self, request, model_admin):
        return [("running", "Running"), ("ended", "Ended")]

    def queryset(self, request, queryset):
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


def profile_entitlement(profile: Profile, *, now=None):
    """billing.entitlements' decision for a profile from ``profiles_with_access_facts``."""
    from .entitlements import entitlement_for

    current = profile.current_subscriptions
    return entitlement_for(
        profile=profile,
        now=now,
        subscription=current[0] if current else None,
        email_verified=profile.email_verified,
    )


class AccessStateFilter(SimpleListFilter):
    """Studio access as billing.entitlements decides it. The rule (stale rows, scheduled
    cancellations, grace, verified e-mail) lives in Python, so it is applied to the rows
    rather than rewritten in SQL: two queries whatever the number of businesses. Expects
    the queryset of ``ProfileAdmin.get_queryset`` (``profiles_with_access_facts``)."""

    title = "access"
    parameter_name = "access"

    def lookups(self, request, model_admin):
        return [(value, label) for value, (_source, label) in ACCESS_STATES.items()]

    def queryset(self, request, queryset):
        if self.value() not in ACCESS_STATES:
            return queryset
        wanted = ACCESS_STATES[self.value()][0]
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

    def user_can_create(self, user):
        return False

    def user_can_delete_obj(self, user, obj):
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
    def login_email(obj):
        return obj.user.email

    login_email.short_description = "Log-in e-mail"

    def get_queryset(self, request):
        return profiles_with_access_facts(super().get_queryset(request))

    @staticmethod
    def plan(obj):
        current = obj.current_subscriptions
        return current[0].plan.name if current and current[0].plan else "—"

    @staticmethod
    def access(obj):
        entitlement = profile_entitlement(obj)
        label = ACCESS_LABELS[entitlement.source]
        until = {"trial": entitlement.trial_ends_at, "grace": entitlement.grace_ends_at}.get(
            entitlement.source
        )
        return f"{label} until {date_format(localtime(until), 'j M Y')}" if until else label

    access.short_description = "Access"


MODELADMINS: list = [ProfileAdmin]
