"""The Studio sales list for staff, read-only (gathered by home/wagtail_hooks.py)."""

from wagtail_modeladmin.options import ModelAdmin

from core.modeladmin import MenuLabelIndexView, ReadOnlyPermissionHelper

from .models import StudioEvent


class StudioEventAdmin(ModelAdmin):  # type: ignore[misc]
    model = StudioEvent
    menu_label = "Studio sales"
    menu_icon = "tag"
    index_view_class = MenuLabelIndexView
    list_display = (
        "occurred_at",
        "type",
        "product_kind",
        "amount",
        "currency",
        "profile",
        "storefront",
        "event_id",
    )
    list_filter = ("type", "product_kind", "currency")
    search_fields = ("event_id", "profile__business_name", "storefront__slug")
    list_select_related = ("profile", "storefront")
    inspect_view_enabled = True
    permission_helper_class = ReadOnlyPermissionHelper


MODELADMINS: list[type] = [StudioEventAdmin]
