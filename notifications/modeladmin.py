"""wagtail-modeladmin: "E-mails sent" (read-only, gathered into the MintKit menu by
``home/wagtail_hooks.py``), filtered by kind and status; a failed send shows its error."""

from wagtail_modeladmin.options import ModelAdmin

from core.modeladmin import MenuLabelIndexView, ReadOnlyPermissionHelper

from .models import LifecycleEmail


class LifecycleEmailAdmin(ModelAdmin):
    model = LifecycleEmail
    menu_label = "E-mails sent"
    menu_icon = "mail"
    index_view_class = MenuLabelIndexView
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = (
        "kind",
        "to_email",
        "profile",
        "subject_key",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("kind", "status")
    search_fields = ("to_email", "subject_key", "profile__business_name", "last_error")
    list_select_related = ("profile",)


MODELADMINS: list = [LifecycleEmailAdmin]
