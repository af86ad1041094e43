"""Validation rules for storefront fields (pure functions, no database)."""

import re
import zoneinfo

from django.core.exceptions import ValidationError

# Slugs that would read as part of the site rather than a business, or that we may
# want as paths under /storefront/ one day.
RESERVED_SLUGS = frozenset(
    {
        "about",
        "accounts",
        "admin",
        "api",
        "billing",
        "blog",
        "checkout",
        "contact",
        "dashboard",
        "django-admin",
        "edit",
        "help",
        "healthz",
        "login",
        "logout",
        "media",
        "mintkit",
        "new",
        "pricing",
        "privacy",
        "robots",
        "search",
        "settings",
        "signup",
        "sitemap",
        "static",
        "stats",
        "storefront",
        "storefronts",
        "studio",
        "support",
        "terms",
        "www",
    }
)

HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")
MIN_CONTRAST = 4.5


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            "“%(slug)s” is reserved. Please choose another address.",
            code="reserved",
            params={"slug": value},
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list.", code="time_zone")


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_with_white(hex_colour: str) -> float:
    """WCAG 2 contrast ratio of white text on ``hex_colour``."""
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


def validate_brand_colour(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        raise ValidationError(
            "Enter a colour as # followed by six hex digits, e.g. #146c43.", code="hex"
        )
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            "White text on %(colour)s is hard to read (contrast %(ratio).1f:1, at least 4.5:1 "
            "needed). Choose a darker colour.",
            code="contrast",
            params={"colour": value, "ratio": ratio},
        )
