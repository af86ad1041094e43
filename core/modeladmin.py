"""Shared wagtail-modeladmin pieces for every app's admin views."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, re_path

from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView


class MenuLabelIndexView(IndexView):
    """An index page titled like its menu item (not the model's plural name), so staff
    land on the heading they clicked."""

    def get_page_title(self):
        return self.model_admin.get_menu_label()


class ReadOnlyPermissionHelper(PermissionHelper):
    """Rows with a source of truth elsewhere (Stripe, the Studio, the mail queue): staff look
    at them, never create, edit or delete them by hand."""

    def user_can_create(self, user: Any) -> bool:
        return False

    def user_can_edit_obj(self, user: Any, obj: Any) -> bool:
        return False

    def user_can_delete_obj(self, user: Any, obj: Any) -> bool:
        return False


class ReadOnlyModelAdmin(ModelAdmin):
    """The admin of rows with a source of truth elsewhere: a list titled like its menu item,
    each row inspected, never created, edited or deleted by hand."""

    index_view_class = MenuLabelIndexView
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True


class SuperuserActionButtonHelper(ButtonHelper):
    """Each row's buttons and, for superusers only, one more: the ModelAdmin's ``action``
    URL, labelled ``action_label``, with ``action_title`` as its tooltip."""

    action: str
    action_label: str
    action_title: str

    def get_buttons_for_obj(
        self,
        obj: Any,
        exclude: list[str] | None = None,
        classnames_add: list[str] | None = None,
        classnames_exclude: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        buttons: list[dict[str, Any]] = super().get_buttons_for_obj(
            obj, exclude, classnames_add, classnames_exclude
        )
        if self.request.user.is_superuser:
            buttons.append(
                {
                    "url": self.url_helper.get_action_url(self.action, obj.pk),
                    "label": self.action_label,
                    "classname": self.finalise_classname(
                        classnames_add or [], classnames_exclude or []
                    ),
                    "title": self.action_title,
                }
            )
        return buttons


def superuser_action_url(
    model_admin: Any, action: str, view: Callable[..., HttpResponse]
) -> URLPattern:
    """The URL of a row's superuser ``action`` (the button above), routed to ``view``."""
    return re_path(
        model_admin.url_helper.get_action_url_pattern(action),
        view,
        name=model_admin.url_helper.get_action_url_name(action),
    )


def action_confirm_page(
    request: HttpRequest, model_admin: Any, template_name: str, context: dict[str, Any]
) -> TemplateResponse:
    """The GET step of a superuser action: its confirm page, with a way back to the index."""
    return TemplateResponse(
        request,
        template_name,
        {
            **context,
            "view": {"model_admin": model_admin},
            "index_url": model_admin.url_helper.index_url,
        },
    )
