"""Template tags for the site chrome (menu, footer, banner).

Both tags degrade to "nothing" when the database is unreachable, so the 500 page, which
shares the layout, still renders during an outage.
"""

from django import template
from django.db import DatabaseError

from core.sitecache import site_for_request, site_settings_for_request
from home.models import SiteSettings
from home.selectors import menu_items_for_site

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[dict]:
    """The main menu for the request's site, each item marked active when it is the current
    section (the home item only on ``/`` itself)."""
    request = context.get("request")
    if request is None:
        return []
    try:
        site = site_for_request(request)
        items = menu_items_for_site(site=site) if site is not None else []
    except DatabaseError:
        return []
    path = request.path
    return [
        {
            "title": item.title,
            "url": item.url,
            "active": path == item.url if item.url == "/" else path.startswith(item.url),
        }
        for item in items
    ]


@register.simple_tag(takes_context=True)
def site_settings(context) -> SiteSettings | None:
    """The request's ``SiteSettings`` (kept per site generation: core/sitecache.py)."""
    request = context.get("request")
    if request is None:
        return None
    try:
        return site_settings_for_request(request, SiteSettings)
    except (DatabaseError, SiteSettings.DoesNotExist):
        return None
