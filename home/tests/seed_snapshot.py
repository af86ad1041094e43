"""Everything ``seed_demo`` leaves in the database, as plain data that compares with ``==``.

Database ids, StreamField block ids and timestamps are left out (they differ from run to run);
page references are written as the page's URL path. The tests use it to show that a second run
changes nothing, and it is how a change to the seed can be checked against the previous output.
"""

from django.contrib.auth.models import Group
from django.forms.models import model_to_dict

from wagtail.models import Page, Revision, Site

from allauth.account.models import EmailAddress

from accounts.models import Profile
from billing.models import SubscriptionPlan
from home.models import SiteSettings
from storefronts.models import Storefront

PAGE_FIELDS = ["intro", "summary", "body", "faq"]


def stream_data(value):
    """Raw StreamField data without Wagtail's generated block ids."""
    if isinstance(value, list):
        return [stream_data(item) for item in value]
    if isinstance(value, dict):
        return {k: stream_data(v) for k, v in value.items() if k != "id"}
    return value


def _field(page, name):
    value = getattr(page, name)
    return stream_data(list(value.raw_data)) if hasattr(value, "raw_data") else value


def _page(page: Page) -> dict:
    page = page.specific
    return {
        "type": type(page).__name__,
        "url_path": page.url_path,
        "title": page.title,
        "slug": page.slug,
        "live": page.live,
        "show_in_menus": page.show_in_menus,
        "search_description": page.search_description,
        "seo_title": page.seo_title,
        "revisions": Revision.page_revisions.filter(object_id=str(page.pk)).count(),
        **{name: _field(page, name) for name in PAGE_FIELDS if hasattr(page, name)},
    }


def _site_settings(site_settings: SiteSettings) -> dict:
    data = model_to_dict(site_settings, exclude=["id", "site", "footer_links", "social_links"])
    footer_links = stream_data(list(site_settings.footer_links.raw_data))
    for link in footer_links:
        page_id = link["value"]["page"]
        link["value"]["page"] = Page.objects.get(pk=page_id).url_path if page_id else None
    return {
        **data,
        "site": site_settings.site.hostname,
        "footer_links": footer_links,
        "social_links": stream_data(list(site_settings.social_links.raw_data)),
    }


def _storefront(storefront: Storefront) -> dict:
    skip = ["id", "profile", "logo", "cover"]
    return {
        **model_to_dict(storefront, exclude=skip),
        "owner": storefront.profile.user.email,
        "offers": [
            model_to_dict(offer, exclude=["id", "storefront"])
            for offer in storefront.offers.order_by("sort_order")
        ],
        "hours": list(
            storefront.opening_hours.order_by("weekday", "opens").values_list(
                "weekday", "opens", "closes"
            )
        ),
        "special_dates": list(
            storefront.special_dates.order_by("date").values_list(
                "date", "closed", "opens", "closes", "note"
            )
        ),
    }


def seed_snapshot() -> dict:
    editors = Group.objects.filter(name="Editors").first()
    return {
        "pages": [_page(page) for page in Page.objects.order_by("path")],
        "sites": list(
            Site.objects.values_list(
                "hostname", "port", "site_name", "is_default_site", "root_page__url_path"
            )
        ),
        "site_settings": [_site_settings(s) for s in SiteSettings.objects.order_by("site_id")],
        "editors": editors
        and {
            "permissions": sorted(editors.permissions.values_list("codename", flat=True)),
            "page_permissions": sorted(
                editors.page_permissions.values_list("page__url_path", "permission__codename")
            ),
        },
        "plans": [
            model_to_dict(plan, exclude=["id"])
            for plan in SubscriptionPlan.objects.order_by("slug")
        ],
        "owners": [
            {
                "email": profile.user.email,
                "business_name": profile.business_name,
                "contact_email": profile.contact_email,
                "phone": str(profile.phone),
                "addresses": list(
                    EmailAddress.objects.filter(user=profile.user).values_list(
                        "email", "verified", "primary"
                    )
                ),
            }
            for profile in Profile.objects.order_by("user__email")
        ],
        "storefronts": [_storefront(s) for s in Storefront.objects.order_by("slug")],
    }
