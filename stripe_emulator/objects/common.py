"""What every object builder shares: the API version, time steps, lists, money, events."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from typing import Any

from ..store import new_id
from ..stripe_types import StripeObject

API_VERSION = "2026-10-28.endive"

INTERVAL_SECONDS = {"day": 86400, "week": 7 * 86400}


def add_interval(ts: int, interval: str, count: int = 1) -> int:
    """Add ``count`` billing intervals to a unix time (calendar months/years)."""
    if interval in INTERVAL_SECONDS:
        return ts + INTERVAL_SECONDS[interval] * count
    d = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
    months = count * (12 if interval == "year" else 1)
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return int(d.replace(year=year, month=month, day=day).timestamp())


def short_date(ts: int) -> str:
    """``26 Nov 2026``: the date format of Stripe's proration descriptions."""
    return dt.datetime.fromtimestamp(ts, tz=dt.UTC).strftime("%-d %b %Y")


def list_object(data: list[Any], url: str, has_more: bool = False) -> StripeObject:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def money(amount: int, currency: str) -> str:
    symbols = {"gbp": "£", "usd": "$", "eur": "€"}
    symbol = symbols.get(currency.lower())
    value = f"{amount / 100:,.2f}"
    return f"{symbol}{value}" if symbol else f"{value} {currency.upper()}"


def event(
    event_type: str, obj: StripeObject, created: int, previous: StripeObject | None, pending: int
) -> StripeObject:
    data = {"object": public(obj)}
    if previous is not None:
        data["previous_attributes"] = copy.deepcopy(previous)
    return {
        "id": new_id("evt_"),
        "object": "event",
        "api_version": API_VERSION,
        "context": None,
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": pending,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def public(obj: StripeObject) -> StripeObject:
    """A deep copy of a stored object without emulator-private ``_`` keys."""
    return {k: copy.deepcopy(v) for k, v in obj.items() if not k.startswith("_")}


# -- payments, refunds, disputes, portal configurations, invoice items --------------------
