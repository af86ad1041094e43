"""The public storefront page's cacheable parts.

Everything on the page except what depends on the moment or the visitor (the "open
now" line, the draft banner) is rendered once per storefront version and kept in
Django's cache. The version is the storefront's ``updated_at``, which every edit,
publish and unpublish bumps, so a change shows at once without explicit invalidation.
"""

import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from wagtail.images.shortcuts import get_rendition_or_not_found

from .contact_source import storefront_contact
from .hours import opening_hours_specification
from .models import Storefront
from .selectors import (
    special_days,
    special_ranges,
    storefront_local_date,
    storefront_with_content,
    weekly_ranges,
)

# The characters that could end a <script> element or start an HTML comment,
# escaped the way Django's json_script does.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> str:
    """A ``<script type="application/ld+json">`` element that owner text cannot break out of."""
    payload = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


def storefront_json_ld(
    *, storefront: Storefront, url: str, image_url: str | None, week, special
) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": storefront.category,
        "name": storefront.name,
        "url": url,
    }
    if storefront.headline or storefront.description:
        data["description"] = storefront.headline or storefront.description[:300]
    if image_url:
        data["image"] = image_url
    contact = storefront_contact(storefront=storefront)  # the profile's unless overridden
    if contact.phone:
        data["telephone"] = contact.phone
    if contact.email:
        data["email"] = contact.email
    if storefront.has_address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": storefront.street,
            "addressLocality": storefront.town,
            "postalCode": storefront.postcode,
            "addressCountry": storefront.country,
        }
    links = [url for _label, url in storefront.social_links]
    if links:
        data["sameAs"] = links
    spec = opening_hours_specification(week=week, special=special)
    if spec:
        data["openingHoursSpecification"] = spec
    return data


def public_page_parts(*, storefront: Storefront, request: HttpRequest) -> dict:
    """Rendered HTML for the page (head tags, hero, body) plus the hours as data."""
    today = storefront_local_date(storefront=storefront)
    key = (
        f"storefront-page:{storefront.pk}:{storefront.updated_at.timestamp()}:"
        f"{today.isoformat()}:{request.get_host()}:{request.scheme}"
    )
    parts = cache.get(key)
    if parts is not None:
        return parts
    full = storefront_with_content(storefront_id=storefront.pk)
    week = weekly_ranges(full)
    special = special_ranges(full, since=today)
    url = request.build_absolute_uri(full.get_absolute_url())
    context = {
        "storefront": full,
        "contact": storefront_contact(storefront=full),
        "canonical_url": url,
        "week": week,
        "request": request,
    }
    offers = list(full.offers.all())
    primary_offer = next((o for o in offers if o.is_primary), None)
    hero = render_to_string(
        "storefronts/includes/public_hero.html", {**context, "primary_offer": primary_offer}
    )
    body = render_to_string(
        "storefronts/includes/public_body.html",
        {
            **context,
            "offers": offers,
            "hours_table": hours_table(week),
            "special_dates": special_days(full, since=today)[:10],
        },
    )
    image = full.cover or context["contact"].logo
    image_url = None
    if image is not None:
        spec = "fill-1200x630|format-jpeg" if full.cover else "fill-400x400|format-jpeg"
        # A missing source file must not take the page down; Wagtail gives a placeholder.
        image_url = request.build_absolute_uri(get_rendition_or_not_found(image, spec).url)
    head = render_to_string(
        "storefronts/includes/public_head.html", {**context, "og_image_url": image_url}
    )
    json_ld = json_ld_script(
        storefront_json_ld(
            storefront=full, url=url, image_url=image_url, week=week, special=special
        )
    )
    parts = {
        "head": mark_safe(head + json_ld),  # noqa: S308 - rendered by our templates
        "hero": mark_safe(hero),  # noqa: S308
        "body": mark_safe(body),  # noqa: S308
        "week": week,
        "special": special,
    }
    cache.set(key, parts, getattr(settings, "STOREFRONT_PAGE_CACHE_SECONDS", 6 * 60 * 60))
    return parts


def hours_table(week) -> list[tuple[str, list]]:
    from .models import WEEKDAYS

    return [(label, sorted(week.get(day, []))) for day, label in WEEKDAYS]
