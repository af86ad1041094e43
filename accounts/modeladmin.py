"""wagtail-modeladmin views for this app's models (not registered here).

``home/wagtail_hooks.py`` gathers every app's ``MODELADMINS`` into the "MintKit" admin menu.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.admin import SimpleListFilter
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from core.modeladmin import MenuLabelIndexView

from .models import Profile


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
    list_display = ("business_name", "login_email", "phone", "trial_started_at", "created_at")
    list_filter = (TrialFilter, "created_at")
    search_fields = ("business_name", "user__email", "contact_email")
    list_select_related = ("user",)
    ordering = ("business_name",)
    inspect_view_enabled = True
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


MODELADMINS: list = [ProfileAdmin]
