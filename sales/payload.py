"""Reading the Studio's event body: every field checked, a reason for the first one wrong.

Unknown keys are ignored, so the Studio may send more than the hub reads.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from .models import StudioEvent

MAX_BODY_BYTES = 8 * 1024
# Ten million pounds in pence: far above any one sale, far below the column's limit.
MAX_AMOUNT = 10**9
# Accepted so a clock a little ahead of ours is not refused.
FUTURE_SLACK = dt.timedelta(hours=1)

_EVENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
_EXTERNAL_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_SLUG = re.compile(r"[a-z0-9-]{1,50}")


class EventInvalid(ValueError):
    """The body is not an event the hub can store; ``str()`` says why, for the Studio's logs."""


@dataclass(frozen=True)
class EventIn:
    event_id: str
    external_id: str
    type: str
    product_kind: str
    amount: int
    currency: str
    occurred_at: dt.datetime
    storefront_slug: str | None


def _string(data: dict[str, Any], name: str, pattern: re.Pattern[str], *, what: str) -> str:
    value = data.get(name)
    if value is None:
        raise EventInvalid(f"'{name}' is required")
    if not isinstance(value, str):
        raise EventInvalid(f"'{name}' must be a string")
    if not pattern.fullmatch(value):
        raise EventInvalid(f"'{name}' must be {what}")
    return value


def _choice(data: dict[str, Any], name: str, choices: list[str]) -> str:
    value = data.get(name)
    if value is None:
        raise EventInvalid(f"'{name}' is required")
    if not isinstance(value, str) or value not in choices:
        raise EventInvalid(f"'{name}' must be one of: {', '.join(choices)}")
    return value


def _amount(data: dict[str, Any]) -> int:
    value = data.get("amount")
    if value is None:
        raise EventInvalid("'amount' is required")
    # bool is an int in Python; 12.0 is not a whole number of pence in JSON's eyes.
    if isinstance(value, bool) or not isinstance(value, int):
        raise EventInvalid("'amount' must be a whole number of minor units (pence)")
    if not 0 <= value <= MAX_AMOUNT:
        raise EventInvalid(f"'amount' must be between 0 and {MAX_AMOUNT}")
    return value


def _occurred_at(data: dict[str, Any], *, now: dt.datetime) -> dt.datetime:
    value = data.get("occurred_at")
    if value is None:
        raise EventInvalid("'occurred_at' is required")
    what = "an ISO 8601 date and time with an offset, e.g. 2026-03-01T14:05:00Z"
    if not isinstance(value, str) or len(value) > 40:
        raise EventInvalid(f"'occurred_at' must be {what}")
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise EventInvalid(f"'occurred_at' must be {what}") from None
    if when.tzinfo is None or when.utcoffset() is None:
        raise EventInvalid(f"'occurred_at' must be {what}")
    if when > now + FUTURE_SLACK:
        raise EventInvalid("'occurred_at' is in the future")
    if when.year < 2000:  # also keeps 0001-01-01T00:00+01:00 from overflowing below
        raise EventInvalid("'occurred_at' is before 2000")
    return when.astimezone(dt.UTC)


def event_parse(*, body: bytes, now: dt.datetime) -> EventIn:
    """The event in ``body``, or ``EventInvalid`` with the reason."""
    if len(body) > MAX_BODY_BYTES:
        raise EventInvalid(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        raise EventInvalid("the body is not JSON") from None
    if not isinstance(data, dict):
        raise EventInvalid("the body must be a JSON object")
    return EventIn(
        event_id=_string(data, "id", _EVENT_ID, what="1–100 letters, digits or _ . : -"),
        external_id=_string(data, "external_id", _EXTERNAL_ID, what="the hub's external id"),
        type=_choice(data, "type", StudioEvent.Type.values),
        product_kind=_choice(data, "product_kind", StudioEvent.ProductKind.values),
        amount=_amount(data),
        currency=_string(data, "currency", _CURRENCY, what="an ISO 4217 code, e.g. GBP").upper(),
        occurred_at=_occurred_at(data, now=now),
        storefront_slug=_storefront(data),
    )


def _storefront(data: dict[str, Any]) -> str | None:
    value = data.get("storefront")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise EventInvalid("'storefront' must be a storefront's slug, or left out")
    return value
