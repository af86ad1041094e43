"""wagtail-modeladmin views for this app's models (not registered here).

``home/wagtail_hooks.py`` gathers every app's ``MODELADMINS`` into the "MintKit" admin menu.
"""

from wagtail.admin.panels import FieldPanel
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from .models import Storefront


class ReadMostlyPermissionHelper(PermissionHelper):
    """Owners build storefronts themselves; staff can inspect them and take one offline."""

    def user_can_create(self, user):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class StorefrontAdmin(ModelAdmin):
    model = Storefront
    menu_label = "Storefronts"
    menu_icon = "site"
    list_display = ("name", "slug", "profile", "category", "is_active", "updated_at")
    list_filter = ("is_active", "category")
    search_fields = ("name", "slug", "headline", "town", "profile__business_name")
    list_select_related = ("profile",)
    ordering = ("name",)
    inspect_view_enabled = True
    inspect_view_fields = (
        "name",
        "slug",
        "profile",
        "is_active",
        "headline",
        "description",
        "category",
        "time_zone",
        "contact_email",
        "phone",
        "address_line",
        "website_url",
        "logo",
        "cover",
        "brand_colour",
        "offers",
        "opening_hours",
        "special_dates",
        "created_at",
        "updated_at",
    )
    permission_helper_class = ReadMostlyPermissionHelper
    # Staff may only publish or unpublish (e.g. take down an abusive page).
    panels = [FieldPanel("is_active")]


MODELADMINS: list = [StorefrontAdmin]
