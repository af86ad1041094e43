"""Opening status ("Open now" / "Closed — opens Tue 09:00") with fixed datetimes."""

import datetime as dt

import pytest

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
    assert result.message == "Closed today — opens Mon 09:00"


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
    assert result.message == "Closed today — opens tomorrow 09:00"


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


# ----- a week of dates, special closures, overnight hours, DST (issue 16) ----------------


@pytest.mark.parametrize(
    ("day", "noon", "evening"),
    [
        (23, "Closed — opens today 13:00", "Closed — opens tomorrow 09:00"),  # Mon
        (24, "Open now — closes 17:00", "Closed — opens Fri 10:00"),  # Tue
        (25, "Closed today — opens Fri 10:00", "Closed today — opens Fri 10:00"),  # Wed
        (26, "Closed today — opens tomorrow 10:00", "Closed today — opens tomorrow 10:00"),
        (27, "Open now — closes 16:00", "Closed — opens Mon 09:00"),  # Fri
        (28, "Closed today — opens Mon 09:00", "Closed today — opens Mon 09:00"),  # Sat
        (29, "Closed today — opens tomorrow 09:00", "Closed today — opens tomorrow 09:00"),
    ],
)
def test_every_day_of_a_week_at_noon_and_in_the_evening(day, noon, evening):
    assert status(dt.datetime(2026, 11, day, 12, 15, tzinfo=UTC)).message == noon
    assert status(dt.datetime(2026, 11, day, 20, 0, tzinfo=UTC)).message == evening


def test_a_day_marked_closed_never_points_at_itself_next_week_by_weekday_alone():
    # The bug: on Thursday 26th, marked closed, "opens Thu 06:00" (it meant 3 December).
    thursdays_only = {3: [(T(6), T(14))]}
    thursday = dt.date(2026, 11, 26)
    result = status(
        dt.datetime(2026, 11, 26, 7, 0, tzinfo=UTC), week=thursdays_only, special={thursday: []}
    )
    assert not result.is_open
    assert result.message == "Closed today — opens Thu 3 Dec 06:00"


def test_a_closed_day_says_its_note_and_the_next_opening():
    wednesday, thursday = dt.date(2026, 11, 25), dt.date(2026, 11, 26)
    week = {d: [(T(9), T(17))] for d in range(7)}
    result = opening_status(
        now=dt.datetime(2026, 11, 25, 10, 0, tzinfo=UTC),
        time_zone="Europe/London",
        week=week,
        special={wednesday: [], thursday: []},
        notes={wednesday: "Staff training", thursday: "Stocktake"},
    )
    assert result.message == "Closed today — Staff training · opens Fri 09:00"


def test_special_changed_hours_today_count_as_opening_later_today():
    monday = dt.date(2026, 11, 23)
    result = status(dt.datetime(2026, 11, 23, 8, 0, tzinfo=UTC), special={monday: [(T(11), T(14))]})
    assert result.message == "Closed — opens today 11:00"


def test_a_special_opening_on_a_usually_closed_day_is_found():
    wednesday = dt.date(2026, 11, 25)
    result = status(
        dt.datetime(2026, 11, 24, 18, 0, tzinfo=UTC), special={wednesday: [(T(12), T(15))]}
    )
    assert result.message == "Closed — opens tomorrow 12:00"


def test_nothing_open_in_the_next_fortnight_just_says_closed():
    monday = dt.date(2026, 11, 23)
    special = {monday + dt.timedelta(days=i): [] for i in range(16)}
    result = opening_status(
        now=dt.datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        time_zone="Europe/London",
        week=WEEK,
        special=special,
        notes={monday: "Refit"},
    )
    assert result.message == "Closed today — Refit"


BAR = {4: [(T(18), T(2))], 5: [(T(18), T(2))]}  # Friday and Saturday nights


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (dt.datetime(2026, 11, 27, 17, 0, tzinfo=UTC), "Closed — opens today 18:00"),  # Fri
        (dt.datetime(2026, 11, 27, 23, 30, tzinfo=UTC), "Open now — closes 02:00"),
        (dt.datetime(2026, 11, 28, 1, 30, tzinfo=UTC), "Open now — closes 02:00"),  # Sat, Fri night
        (dt.datetime(2026, 11, 28, 3, 0, tzinfo=UTC), "Closed — opens today 18:00"),
        (dt.datetime(2026, 11, 29, 1, 59, tzinfo=UTC), "Open now — closes 02:00"),  # Sun, Sat night
        (dt.datetime(2026, 11, 29, 2, 0, tzinfo=UTC), "Closed today — opens Fri 18:00"),
    ],
)
def test_overnight_hours_run_past_midnight(when, message):
    assert status(when, week=BAR).message == message


def test_ranges_that_meet_at_midnight_are_one_opening():
    week = {4: [(T(18), T(0))], 5: [(T(0), T(3)), (T(18), T(23))]}
    result = status(dt.datetime(2026, 11, 27, 22, 0, tzinfo=UTC), week=week)
    assert result.message == "Open now — closes 03:00"


SUNDAYS = {6: [(T(10), T(16))]}


def test_the_spring_clock_change_in_london():
    # Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST.
    saturday_night = dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC)
    assert status(saturday_night, week=SUNDAYS).message == "Closed today — opens tomorrow 10:00"
    before = status(dt.datetime(2026, 3, 29, 8, 30, tzinfo=UTC), week=SUNDAYS)  # 09:30 BST
    assert before.message == "Closed — opens today 10:00"
    assert before.changes_at == dt.datetime(2026, 3, 29, 9, 0, tzinfo=UTC)
    during = status(dt.datetime(2026, 3, 29, 9, 30, tzinfo=UTC), week=SUNDAYS)  # 10:30 BST
    assert during.message == "Open now — closes 16:00"
    assert during.changes_at == dt.datetime(2026, 3, 29, 15, 0, tzinfo=UTC)


def test_the_autumn_clock_change_in_london_and_a_closure_that_day():
    # Sunday 25 October 2026: 02:00 BST becomes 01:00 GMT. 23:30 UTC on Saturday is
    # already 00:30 on Sunday in London, so Sunday's closure applies.
    sunday = dt.date(2026, 10, 25)
    week = {d: [(T(9), T(17))] for d in range(7)}
    result = opening_status(
        now=dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
        time_zone="Europe/London",
        week=week,
        special={sunday: []},
        notes={sunday: "Clocks change"},
    )
    assert result.message == "Closed today — Clocks change · opens tomorrow 09:00"
    after = status(dt.datetime(2026, 10, 25, 16, 30, tzinfo=UTC), week=week)  # 16:30 GMT
    assert after.message == "Open now — closes 17:00"
    assert after.changes_at == dt.datetime(2026, 10, 25, 17, 0, tzinfo=UTC)


def test_a_closed_answer_expires_at_local_midnight_at_the_latest():
    result = status(dt.datetime(2026, 11, 24, 18, 0, tzinfo=UTC))  # Tue; opens Fri
    assert result.changes_at == dt.datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
