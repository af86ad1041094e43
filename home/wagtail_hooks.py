"""Wagtail admin: the "MintKit" menu of business models and the numbers on the admin home."""

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from accounts.modeladmin import MODELADMINS as ACCOUNTS_MODELADMINS
from billing.modeladmin import MODELADMINS as BILLING_MODELADMINS
from notifications.modeladmin import MODELADMINS as NOTIFICATIONS_MODELADMINS
from storefronts.modeladmin import MODELADMINS as STOREFRONTS_MODELADMINS

from .selectors import admin_stats


class MintKitAdminGroup(ModelAdminGroup):
    """Businesses, storefronts and billing, each app's ModelAdmins in one menu."""

    menu_label = "MintKit"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (
        *ACCOUNTS_MODELADMINS,
        *STOREFRONTS_MODELADMINS,
        *BILLING_MODELADMINS,
        *NOTIFICATIONS_MODELADMINS,
    )


# An empty group would give Wagtail a menu item of None, so register it only with members.
if MintKitAdminGroup.items:
    modeladmin_register(MintKitAdminGroup)


class MintKitStatsPanel(Component):
    """Businesses, live storefronts, trials, paying subscriptions and MRR at a glance."""

    name = "mintkit_stats"
    template_name = "wagtailadmin/home/mintkit_stats.html"
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["stats"] = admin_stats()
        return context


@hooks.register("construct_homepage_panels")
def add_mintkit_stats_panel(request, panels):
    # The numbers include revenue: only superusers (who look after billing) see them.
    if request.user.is_superuser:
        panels.insert(0, MintKitStatsPanel())
