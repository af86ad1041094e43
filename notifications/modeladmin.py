"""wagtail-modeladmin: "E-mails sent" (read-only, gathered into the MintKit menu by
``home/wagtail_hooks.py``), filtered by kind and status; a failed send shows its error."""

from core.modeladmin import ReadOnlyModelAdmin

from .models import LifecycleEmail


class LifecycleEmailAdmin(ReadOnlyModelAdmin):
    model = LifecycleEmail
    menu_label = "E-mails sent"
    menu_icon = "mail"
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
