"""Reads for the public site and the admin: the main menu and the admin home counts."""

from dataclasses import dataclass

from django.core.cache import cache

from wagtail.models import Page, Site

MENU_CACHE_TIMEOUT = 60 * 60


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


def _menu_cache_key(site_id: int) -> str:
    return f"home:menu:{site_id}"


def menu_items_for_site(*, site: Site) -> list[MenuItem]:
    """The main menu: the site's home page, then its live public children marked "show in menus".

    Cached per site; ``menu_cache_clear`` empties it whenever the tree changes.
    """
    key = _menu_cache_key(site.pk)
    items = cache.get(key)
    if items is None:
        items = [MenuItem(title="Home", url="/")]
        children = (
            Page.objects.child_of(site.root_page)
            .live()
            .public()
            .in_menu()
            .order_by("path")
            .only("title", "url_path")
        )
        root_path = site.root_page.url_path
        for child in children:
            items.append(MenuItem(title=child.title, url="/" + child.url_path[len(root_path) :]))
        cache.set(key, items, MENU_CACHE_TIMEOUT)
    return items


def menu_cache_clear() -> None:
    cache.delete_many([_menu_cache_key(pk) for pk in Site.objects.values_list("pk", flat=True)])


@dataclass(frozen=True)
class AdminStats:
    businesses: int
    live_storefronts: int
    trials_running: int
    paying_subscriptions: int
    mrr_minor: int
    currency: str


def admin_stats() -> AdminStats:
    """Counts for the Wagtail admin home panel, read from the accounts, storefronts and billing
    apps (imported here so the page models never depend on them)."""
    from accounts.models import Profile
    from billing.selectors import billing_admin_stats
    from storefronts.models import Storefront

    billing = billing_admin_stats()
    return AdminStats(
        businesses=Profile.objects.count(),
        live_storefronts=Storefront.objects.filter(is_active=True).count(),
        trials_running=billing["trials_running"],
        paying_subscriptions=billing["paying_subscriptions"],
        mrr_minor=billing["mrr_minor"],
        currency=billing["currency"],
    )
