"""wagtail-modeladmin: "Studio events" (read-only, gathered into the MintKit menu by
``home/wagtail_hooks.py``), filtered by status and reason; each row shows its last attempt,
the inspect page every attempt, and superusers may resend an event (same id, same body)."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods

from wagtail_modeladmin.views import InspectView

from core.modeladmin import (
    ReadOnlyModelAdmin,
    SuperuserActionButtonHelper,
    action_confirm_page,
    superuser_action_url,
)

from . import services
from .models import StudioEvent


class StudioEventButtonHelper(SuperuserActionButtonHelper):
    action = "resend"
    action_label = "Resend"
    action_title = "Deliver this event to the Studio again (same id)"


class StudioEventInspectView(InspectView):
    """The body as sent and one line per delivery attempt."""

    def get_field_display_value(self, field_name, field=None):
        if field_name == "body":
            pretty = json.dumps(json.loads(self.instance.body), indent=2)
            return format_html("<pre>{}</pre>", pretty)
        if field_name == "attempt_log":
            if not self.instance.attempt_log:
                return "No attempt yet"
            return format_html(
                "<ol>{}</ol>",
                format_html_join(
                    "",
                    "<li>{} — {}{}</li>",
                    (
                        (
                            entry.get("at", ""),
                            entry.get("status_code") or "no answer",
                            f": {entry['error']}" if entry.get("error") else "",
                        )
                        for entry in self.instance.attempt_log
                    ),
                ),
            )
        return super().get_field_display_value(field_name, field)


class StudioEventAdmin(ReadOnlyModelAdmin):
    model = StudioEvent
    menu_label = "Studio events"
    menu_icon = "redirect"
    button_helper_class = StudioEventButtonHelper
    inspect_view_class = StudioEventInspectView
    list_display = (
        "event_id",
        "profile",
        "reason",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    )
    list_filter = ("status", "reason")
    search_fields = ("event_id", "external_id", "profile__business_name", "last_error")
    list_select_related = ("profile",)
    inspect_view_fields = (
        "event_id",
        "profile",
        "external_id",
        "type",
        "reason",
        "sequence",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "created_at",
        "attempt_log",
        "body",
    )

    def get_admin_urls_for_registration(self):
        return (
            *super().get_admin_urls_for_registration(),
            superuser_action_url(self, "resend", self.resend_view),
        )

    def resend_view(self, request, instance_pk):
        return studio_event_resend_view(request, self, instance_pk)


@require_http_methods(["GET", "POST"])
def studio_event_resend_view(request, model_admin, instance_pk):
    """GET: confirm; POST: deliver the event again under its own id."""
    if not request.user.is_superuser:
        raise PermissionDenied
    event = get_object_or_404(StudioEvent, pk=instance_pk)
    if request.method == "POST":
        services.event_resend(event=event)
        messages.success(request, f"{event.event_id}: queued for delivery again (same id).")
        return redirect(model_admin.url_helper.index_url)
    return action_confirm_page(
        request, model_admin, "studio_sync/admin/resend_confirm.html", {"event": event}
    )


MODELADMINS: list = [StudioEventAdmin]
