"""Keep the cached main menu in step with the page tree and its privacy settings."""

from django.db.models.signals import post_delete, post_save

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .selectors import menu_cache_clear


def _clear_menu(**kwargs) -> None:
    menu_cache_clear()


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
