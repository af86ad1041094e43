"""Reading Stripe payloads: the SDK's objects and webhook dicts alike."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

# Subscription statuses after which Stripe never charges again.
ENDED_STATUSES = ("canceled", "incomplete_expired")


def as_dict(obj: Any) -> dict[str, Any]:
    """A Stripe object (or a webhook's dict, or None) as a plain dict."""
    if obj is None:
        return {}
    if hasattr(obj, "to_dict"):
        return cast("dict[str, Any]", obj.to_dict())
    return dict(obj)


def to_datetime(value: Any) -> datetime | None:
    """A Stripe Unix timestamp as an aware UTC datetime; None for a missing one."""
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def id_of(value: Any) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the expanded object."""
    if isinstance(value, dict):
        return cast("str | None", value.get("id"))
    if value is not None and not isinstance(value, str):
        return cast("str | None", getattr(value, "id", None))
    return value or None


def int_or_none(value: Any) -> int | None:
    """``value`` as an int (Stripe metadata is all strings), or None when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
