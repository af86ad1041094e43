"""Wagtail hooks: the "MintKit" admin menu, the numbers on the admin home, and serving
pages through the public page cache."""

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register

from billing.businesses_admin import MODELADMINS as ACCOUNTS_MODELADMINS
from billing.modeladmin import MODELADMINS as BILLING_MODELADMINS
from core import pagecache
from notifications.modeladmin import MODELADMINS as NOTIFICATIONS_MODELADMINS
from sales.modeladmin import MODELADMINS as SALES_MODELADMINS
from storefronts.modeladmin import MODELADMINS as STOREFRONTS_MODELADMINS
from studio_sync.modeladmin import MODELADMINS as STUDIO_SYNC_MODELADMINS

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
        *SALES_MODELADMINS,
        *NOTIFICATIONS_MODELADMINS,
        *STUDIO_SYNC_MODELADMINS,
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


@hooks.register("on_serve_page")
def serve_through_page_cache(next_serve_page):
    """Every page anonymous visitors see comes from core/pagecache.py when it can.

    This runs after the ``before_serve_page`` hooks, so a private page's password or log-in
    check still comes first; such a page is never stored (``shareable``). Hits are answered
    earlier, before routing, by ``pagecache.WagtailPageCacheMiddleware``; the site
    generation versions every page (home/signals.py).
    """

    def serve(page, request, args, kwargs):
        return pagecache.cached_response(
            request,
            version=pagecache.WAGTAIL_PAGE_VERSION,
            render=lambda: next_serve_page(page, request, args, kwargs),
            shareable=lambda: not page.get_view_restrictions().exists(),
            looked_up=True,
        )

    return serve
