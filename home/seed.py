"""Demo Wagtail content: the default site and its home page."""

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_INTRO = (
    "<p>A storefront page for your salon, gym or studio, and the MintKit Studio tools "
    "to sell gift cards, tickets and vouchers — free for 14 days.</p>"
)


def ensure_root() -> Page:
    """Wagtail's locale and tree root (a flushed test database has neither)."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def ensure_home_page() -> HomePage:
    """The single HomePage, made the default site's root (replacing Wagtail's welcome page)."""
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's initial migration leaves a "Welcome" page at the slug we want.
        Page.objects.filter(depth=2, slug="home").delete()
        root = ensure_root()
        home = root.add_child(
            instance=HomePage(title="Run your service business online", slug="home",
                              intro=HOME_INTRO)
        )
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home,
                            is_default_site=True, site_name="MintKit Hub")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "MintKit Hub"
        site.save()
    return home


def run(*, stdout) -> None:
    home = ensure_home_page()
    stdout.write(f"Home page: {home.url_path}")
