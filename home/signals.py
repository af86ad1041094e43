"""Keep the cached main menu and the public page cache in step with what they show.

The menu follows the page tree and its privacy settings. The page cache
(core/pagecache.py) is versioned by a site-wide generation, replaced whenever anything
every page shows could change: the tree (the menu is on every page), privacy settings,
the site settings (footer, announcement), the plans (the pricing page), and images and
documents (a page shows them by their current files).
"""

from django.db.models.signals import post_delete, post_save

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.generations import site_generation_bump

from .models import SiteSettings
from .selectors import menu_cache_clear


def _clear_menu(**kwargs) -> None:
    menu_cache_clear()
    site_generation_bump()


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_clear_menu, dispatch_uid=f"home-menu-{id(signal)}")
    post_delete.connect(_clear_menu, sender=Page, dispatch_uid="home-menu-page-delete")
    post_save.connect(_clear_menu, sender=Site, dispatch_uid="home-menu-site-save")
    post_delete.connect(_clear_menu, sender=Site, dispatch_uid="home-menu-site-delete")
    # The menu lists public pages only: making a page private (or public again) changes it.
    post_save.connect(
        _clear_menu, sender=PageViewRestriction, dispatch_uid="home-menu-restriction-save"
    )
    post_delete.connect(
        _clear_menu, sender=PageViewRestriction, dispatch_uid="home-menu-restriction-delete"
    )
    # Pages and fragments show images and link to documents by their current files: an
    # image's new file or focal point (Wagtail deletes the old renditions) or a document's
    # new file must not leave a cached page pointing at what is gone.
    senders = [
        (SiteSettings, "site-settings"),
        ("billing.SubscriptionPlan", "plan"),
        (get_image_model(), "image"),
        (get_document_model(), "document"),
    ]
    for sender, name in senders:
        post_save.connect(
            site_generation_bump, sender=sender, dispatch_uid=f"pagecache-{name}-save"
        )
        post_delete.connect(
            site_generation_bump, sender=sender, dispatch_uid=f"pagecache-{name}-delete"
        )
