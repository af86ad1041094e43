"""Opening status ("Open now" / "Closed — opens Tue 09:00") with fixed datetimes."""

import datetime as dt

from storefronts.hours import opening_hours_specification, opening_status, overlapping

UTC = dt.UTC
T = dt.time
# Monday 2026-11-23 … Sunday 2026-11-29 (London is on GMT in November).
WEEK = {0: [(T(9), T(12)), (T(13), T(17))], 1: [(T(9), T(17))], 4: [(T(10), T(16))]}


def status(when: dt.datetime, *, week=WEEK, special=None, tz="Europe/London"):
    return opening_status(now=when, time_zone=tz, week=week, special=special or {})


def test_open_inside_a_range_says_when_it_closes():
    result = status(dt.datetime(2026, 11, 23, 10, 30, tzinfo=UTC))
    assert result.is_open
    assert result.message == "Open now — closes 12:00"


def test_lunch_gap_is_closed_and_reopens_today():
    result = status(dt.datetime(2026, 11, 23, 12, 15, tzinfo=UTC))
    assert not result.is_open
    assert result.message == "Closed — opens today 13:00"


def test_closing_time_itself_is_closed():
    result = status(dt.datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
    assert result.message == "Closed — opens tomorrow 09:00"


def test_closed_days_are_skipped_to_the_next_opening_day():
    # Tuesday evening: Wednesday and Thursday are closed, Friday opens at 10:00.
    result = status(dt.datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    assert result.message == "Closed — opens Fri 10:00"


def test_weekend_wraps_to_monday():
    result = status(dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    assert result.message == "Closed — opens Mon 09:00"


def test_uses_the_storefront_time_zone_not_utc():
    # 08:30 UTC is 09:30 in Berlin (CET, UTC+1).
    when = dt.datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    assert not status(when, tz="Europe/London").is_open
    assert status(when, tz="Europe/Berlin").is_open


def test_summer_time_is_respected():
    # 08:30 UTC on 2026-07-06 (Monday) is 09:30 BST in London.
    assert status(dt.datetime(2026, 7, 6, 8, 30, tzinfo=UTC)).is_open


def test_special_closed_date_overrides_the_weekly_hours():
    monday = dt.date(2026, 11, 23)
    result = status(dt.datetime(2026, 11, 23, 10, 0, tzinfo=UTC), special={monday: []})
    assert not result.is_open
    assert result.message == "Closed — opens tomorrow 09:00"


def test_special_changed_hours_override_the_weekly_hours():
    wednesday = dt.date(2026, 11, 25)
    special = {wednesday: [(T(18), T(21))]}
    result = status(dt.datetime(2026, 11, 25, 19, 0, tzinfo=UTC), special=special)
    assert result.message == "Open now — closes 21:00"


def test_no_hours_at_all_says_nothing():
    assert status(dt.datetime(2026, 11, 23, 10, tzinfo=UTC), week={}) is None


def test_overlap_detection():
    assert overlapping([(T(9), T(12)), (T(11), T(14))])
    assert not overlapping([(T(9), T(12)), (T(12), T(14))])


def test_schema_specification_lists_every_range_and_special_dates():
    spec = opening_hours_specification(week=WEEK, special={dt.date(2026, 12, 25): []})
    monday = [s for s in spec if s.get("dayOfWeek") == "https://schema.org/Monday"]
    assert [(s["opens"], s["closes"]) for s in monday] == [("09:00", "12:00"), ("13:00", "17:00")]
    closed = spec[-1]
    assert closed["validFrom"] == closed["validThrough"] == "2026-12-25"
    assert closed["opens"] == closed["closes"] == "00:00"
