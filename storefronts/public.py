"""The public storefront page: its version and its cacheable parts.

Two caches share one version, ``public_page_version`` (the storefront's ``updated_at``,
which every edit, publish, unpublish and slug change bumps, and the local date, since
the special dates listed start today):

- anonymous visitors get the whole page from core/pagecache.py (storefronts/public_views.py);
- the parts here (head tags, hero, body, the hours as data) are rendered once per version
  and reused for everyone else (owners, staff, visitors with a message waiting) and to
  work out the "open now" line on every response, cached or not.
"""

import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from wagtail.images.shortcuts import get_rendition_or_not_found

from core import generations

from .contact_source import storefront_contact
from .jsonld import storefront_json_ld
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


def public_page_version(*, storefront: Storefront) -> tuple:
    """What the page shows changes with these, and only these (besides site-wide chrome)."""
    today = storefront_local_date(storefront=storefront)
    return ("storefront", storefront.pk, storefront.updated_at.timestamp(), today)


def public_page_parts(*, storefront: Storefront, request: HttpRequest) -> dict:
    """Rendered HTML for the page (head tags, hero, body) plus the hours as data."""
    version = public_page_version(storefront=storefront)
    today = version[-1]
    key = ":".join(
        [
            "storefront-page",
            generations.release(),
            *map(str, version),
            request.get_host(),
            request.scheme,
        ]
    )
    parts = cache.get(key)
    if parts is not None:
        return parts
    full = storefront_with_content(storefront=storefront)
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
    days = special_days(full, since=today)
    hero = render_to_string(
        "storefronts/includes/public_hero.html", {**context, "primary_offer": primary_offer}
    )
    body = render_to_string(
        "storefronts/includes/public_body.html",
        {
            **context,
            "offers": offers,
            "hours_table": hours_table(week),
            "special_dates": days[:10],
            "today": today,
            "today_special": next((d for d in days if d.date == today), None),
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
        "notes": {d.date: d.note for d in days if d.note},
    }
    cache.set(key, parts, settings.PAGE_CACHE_SECONDS)
    return parts


def hours_table(week) -> list[tuple[str, list]]:
    from .models import WEEKDAYS

    return [(label, sorted(week.get(day, []))) for day, label in WEEKDAYS]
