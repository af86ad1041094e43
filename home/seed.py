"""Demo Wagtail content: the site, its home, pricing and help pages, and the site settings.

Every ``ensure_*`` function creates what is missing and leaves what exists alone, so running
``seed_demo`` twice changes nothing and never overwrites what the site owner has edited.
This module decides which pages exist and where; their copy is data in ``seed_content/``
(see its README.md).
"""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import GroupPagePermission, Locale, Page, Site

from .models import HelpIndexPage, HelpPage, HomePage, PricingPage, SiteSettings, StandardPage
from .site_host import configured_site_address, site_follow_configured_host

CONTENT_DIR = Path(__file__).resolve().parent / "seed_content"


def content_placeholders() -> dict[str, int]:
    """The settings the copy quotes, as ``{name}`` in the data files."""
    return {
        "hub_trial_days": settings.HUB_TRIAL_DAYS,
        "stripe_trial_days": settings.STRIPE_TRIAL_DAYS,
        "past_due_grace_days": settings.PAST_DUE_GRACE_DAYS,
    }


def _fill(value: Any, placeholders: Mapping[str, int], source: Path) -> Any:
    if isinstance(value, dict):
        return {key: _fill(item, placeholders, source) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill(item, placeholders, source) for item in value]
    if isinstance(value, str):
        try:
            return value.format_map(placeholders)
        except (KeyError, AttributeError, IndexError, ValueError) as exc:
            raise ValueError(
                f"{source}: bad placeholder in {value!r} ({exc!r}); "
                f"use one of {', '.join('{' + name + '}' for name in placeholders)}"
            ) from exc
    return value


def load_content(name: str) -> dict[str, Any]:
    """One data file from ``seed_content/``, with the settings filled into its copy.

    StreamField values are in Wagtail's raw stream format (``{"type": …, "value": …}``).
    """
    path = CONTENT_DIR / name
    return _fill(json.loads(path.read_text(encoding="utf-8")), content_placeholders(), path)


def load_content_dir(name: str) -> list[dict[str, Any]]:
    """Every data file in a ``seed_content/`` folder, in file-name order (``01-…``, ``02-…``)."""
    return [
        load_content(f"{name}/{path.name}") for path in sorted((CONTENT_DIR / name).glob("*.json"))
    ]


def ensure_root() -> Page:
    """Wagtail's locale and tree root (a flushed test database has neither)."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def _ensure_child(parent: Page, model: type[Page], *, slug: str, **fields) -> Page:
    """The live child of ``parent`` at ``slug``, created and published if missing."""
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = parent.add_child(instance=model(slug=slug, **fields))
        page.save_revision().publish()
    return page


def ensure_home_page() -> HomePage:
    """The single HomePage as the default site's root, with the contract's ``/pricing/`` and
    ``/help/`` pages under it (the main menu is built from these)."""
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's initial migration leaves a "Welcome" page at the slug we want.
        Page.objects.filter(depth=2, slug="home").delete()
        root = ensure_root()
        home = root.add_child(instance=HomePage(slug="home", **load_content("home.json")))
        home.save_revision().publish()
    elif not home.body:
        # A home page from before the StreamField existed: give it the standard sections.
        home.body = load_content("home.json")["body"]
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = configured_site_address() or ("localhost", 80)
        Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name="MintKit Hub",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "MintKit Hub"
        site.save()
    site_follow_configured_host()
    _ensure_child(
        home, PricingPage, slug="pricing", show_in_menus=True, **load_content("pricing.json")
    )
    _ensure_child(home, HelpIndexPage, slug="help", show_in_menus=True, **load_content("help.json"))
    return home


def ensure_help_articles(help_index: HelpIndexPage) -> list[HelpPage]:
    """The articles in ``seed_content/help/``; each summary doubles as its search description."""
    return [
        _ensure_child(help_index, HelpPage, **article, search_description=article["summary"])
        for article in load_content_dir("help")
    ]


def ensure_standard_pages(home: HomePage) -> list[StandardPage]:
    """The pages in ``seed_content/pages/`` (about, privacy), linked from the footer."""
    return [_ensure_child(home, StandardPage, **page) for page in load_content_dir("pages")]


def ensure_site_settings(site: Site, *, links: list[Page]) -> SiteSettings:
    """Fill the site settings once; later edits in the admin are left alone."""
    site_settings, created = SiteSettings.objects.get_or_create(site=site)
    if created or not (site_settings.footer_links or site_settings.support_email):
        for field, value in load_content("site_settings.json").items():
            setattr(site_settings, field, value)
        site_settings.footer_links = [
            {"type": "link", "value": {"label": page.title, "page": page.pk, "url": ""}}
            for page in links
        ]
        site_settings.save()
    return site_settings


EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def ensure_editors_group() -> Group:
    """Wagtail's "Editors" group, able to add, edit and publish every page.

    Wagtail's own migration creates the group without publish rights; the site owner's
    editors publish their own changes. No business or billing permissions are given here:
    those stay with superusers.
    """
    group, _ = Group.objects.get_or_create(name="Editors")
    for app_label, codename in EDITOR_MODEL_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    root = Page.get_first_root_node()
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    return group


def run(*, stdout) -> None:
    home = ensure_home_page()
    help_index = HelpIndexPage.objects.child_of(home).get(slug="help")
    articles = ensure_help_articles(help_index)
    extra = ensure_standard_pages(home)
    pricing = PricingPage.objects.child_of(home).get(slug="pricing")
    site = Site.objects.get(is_default_site=True)
    ensure_site_settings(site, links=[pricing, help_index, *extra])
    ensure_editors_group()
    stdout.write(f"Site pages: {home.url_path}, /pricing/, /help/ with {len(articles)} articles")
