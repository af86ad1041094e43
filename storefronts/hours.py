"""Opening hours as plain data: "open now" and schema.org specifications.

Pure functions over simple tuples so they can be tested with fixed datetimes and fed
from the page cache without touching the database.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

DAY_ABBR = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
SCHEMA_DAYS = [
    "https://schema.org/Monday",
    "https://schema.org/Tuesday",
    "https://schema.org/Wednesday",
    "https://schema.org/Thursday",
    "https://schema.org/Friday",
    "https://schema.org/Saturday",
    "https://schema.org/Sunday",
]
LOOKAHEAD_DAYS = 14

Range = tuple[dt.time, dt.time]


@dataclass(frozen=True)
class OpeningStatus:
    is_open: bool
    message: str
    # The next moment the answer changes (aware), so a cached page can expire then.
    changes_at: dt.datetime | None = None


def ranges_on(
    day: dt.date, *, week: dict[int, list[Range]], special: dict[dt.date, list[Range]]
) -> list[Range]:
    """The opening ranges on ``day``: a special date wins over the weekly hours."""
    if day in special:
        return sorted(special[day])
    return sorted(week.get(day.weekday(), []))


def _intervals(
    first: dt.date, last: dt.date, *, week, special
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Opening intervals in local wall time from ``first`` to ``last``, touching ones merged.

    A range that closes at or before it opens (22:00–02:00, 18:00–00:00) runs past midnight
    into the next day.
    """
    found = []
    day = first
    while day <= last:
        for opens, closes in ranges_on(day, week=week, special=special):
            start = dt.datetime.combine(day, opens)
            end_day = day if closes > opens else day + dt.timedelta(days=1)
            found.append((start, dt.datetime.combine(end_day, closes)))
        day += dt.timedelta(days=1)
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _day_label(day: dt.date, *, today: dt.date) -> str:
    offset = (day - today).days
    if offset == 0:
        return "today"
    if offset == 1:
        return "tomorrow"
    if offset < 7:
        return DAY_ABBR[day.weekday()]
    # A week or more ahead: "Thu" alone would read as today (or this week's) Thursday.
    return f"{DAY_ABBR[day.weekday()]} {day.day} {day:%b}"


def opening_status(
    *,
    now: dt.datetime,
    time_zone: str,
    week: dict[int, list[Range]],
    special: dict[dt.date, list[Range]],
    notes: dict[dt.date, str] | None = None,
) -> OpeningStatus | None:
    """Whether the business is open at ``now`` (aware), and when it next opens.

    "Open now — closes 17:30"; "Closed — opens today 13:00" between two ranges or after the
    day's last one ("… opens tomorrow 09:00", "… opens Fri 10:00", "… opens Thu 3 Dec 06:00"
    a week or more ahead); "Closed today — Staff training · opens Fri 09:00" on a day without
    hours, with the special date's note when there is one. All in the storefront's time zone.
    Returns ``None`` when no hours are known at all (nothing useful to say).
    """
    if not any(week.values()) and not special:
        return None
    zone = zoneinfo.ZoneInfo(time_zone)
    local = now.astimezone(zone).replace(tzinfo=None)
    today = local.date()
    intervals = _intervals(
        today - dt.timedelta(days=1),
        today + dt.timedelta(days=LOOKAHEAD_DAYS),
        week=week,
        special=special,
    )

    midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0))

    def aware(moment: dt.datetime) -> dt.datetime:
        # "today"/"tomorrow" move on at midnight, so the answer changes then at the latest.
        return min(moment, midnight).replace(tzinfo=zone)

    for start, end in intervals:
        if start <= local < end:
            return OpeningStatus(True, f"Open now — closes {end:%H:%M}", aware(end))
    coming = next(((s, e) for s, e in intervals if s > local), None)
    closed_all_day = not ranges_on(today, week=week, special=special)
    if closed_all_day:
        note = (notes or {}).get(today, "").strip()
        head = f"Closed today — {note}" if note else "Closed today"
        separator = " · " if note else " — "
    else:
        head, separator = "Closed", " — "
    if coming is None:
        return OpeningStatus(False, head, aware(midnight))
    start = coming[0]
    when = _day_label(start.date(), today=today)
    return OpeningStatus(False, f"{head}{separator}opens {when} {start:%H:%M}", aware(start))


def overlapping(ranges: list[Range]) -> bool:
    ordered = sorted(ranges)
    return any(b[0] < a[1] for a, b in zip(ordered, ordered[1:], strict=False))


def opening_hours_specification(
    *, week: dict[int, list[Range]], special: dict[dt.date, list[Range]]
) -> list[dict]:
    """schema.org ``OpeningHoursSpecification`` entries for JSON-LD."""
    spec = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": SCHEMA_DAYS[weekday],
            "opens": f"{opens:%H:%M}",
            "closes": f"{closes:%H:%M}",
        }
        for weekday in sorted(week)
        for opens, closes in sorted(week[weekday])
    ]
    for day in sorted(special):
        ranges = special[day] or [(dt.time(0, 0), dt.time(0, 0))]  # 00:00–00:00 = closed
        for opens, closes in sorted(ranges):
            spec.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "opens": f"{opens:%H:%M}",
                    "closes": f"{closes:%H:%M}",
                    "validFrom": day.isoformat(),
                    "validThrough": day.isoformat(),
                }
            )
    return spec
