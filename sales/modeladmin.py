"""The Studio sales list for staff, read-only (gathered by home/wagtail_hooks.py)."""

from core.modeladmin import ReadOnlyModelAdmin

from .models import StudioEvent


class StudioEventAdmin(ReadOnlyModelAdmin):
    model = StudioEvent
    menu_label = "Studio sales"
    menu_icon = "tag"
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


MODELADMINS: list[type] = [StudioEventAdmin]
