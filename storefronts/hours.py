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


def ranges_on(
    day: dt.date, *, week: dict[int, list[Range]], special: dict[dt.date, list[Range]]
) -> list[Range]:
    """The opening ranges on ``day``: a special date wins over the weekly hours."""
    if day in special:
        return sorted(special[day])
    return sorted(week.get(day.weekday(), []))


def opening_status(
    *,
    now: dt.datetime,
    time_zone: str,
    week: dict[int, list[Range]],
    special: dict[dt.date, list[Range]],
) -> OpeningStatus | None:
    """Whether the business is open at ``now`` (aware), and when it next opens.

    Returns ``None`` when no hours are known at all (nothing useful to say).
    """
    if not any(week.values()) and not special:
        return None
    local = now.astimezone(zoneinfo.ZoneInfo(time_zone))
    today, time_now = local.date(), local.time().replace(tzinfo=None)
    for opens, closes in ranges_on(today, week=week, special=special):
        if opens <= time_now < closes:
            return OpeningStatus(True, f"Open now — closes {closes:%H:%M}")
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        for opens, _closes in ranges_on(day, week=week, special=special):
            if offset == 0 and opens <= time_now:
                continue
            if offset == 0:
                when = "today"
            elif offset == 1:
                when = "tomorrow"
            else:
                when = DAY_ABBR[day.weekday()]
            return OpeningStatus(False, f"Closed — opens {when} {opens:%H:%M}")
    return OpeningStatus(False, "Closed")


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
