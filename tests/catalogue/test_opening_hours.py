"""Specification of weekly opening hours (service_catalog.opening_hours): pure values, no database.

Reference days in 2026: Monday 23 March; Friday 27 March; Sunday 29 March is the spring change
(02:00 CET -> 03:00 CEST); Sunday 25 October is the autumn change (03:00 CEST -> 02:00 CET).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service_catalog.opening_hours import (
    Interval,
    OpeningState,
    format_week,
    opening_state,
    parse_week,
)

OSLO = ZoneInfo("Europe/Oslo")
OFFICE = {day: ["08:00-16:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
FRIDAY_NIGHT = {"fri": ["16:00-08:00"]}
SPRING_CHANGE = date(2026, 3, 29)
AUTUMN_CHANGE = date(2026, 10, 25)


def oslo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=OSLO)


def state(hours: Mapping[str, Sequence[str]], at: datetime, closed: Sequence[date] = ()) -> OpeningState:
    return opening_state(parse_week(hours), at, closed_dates=closed)


def utc_offset_hours(moment: datetime | None) -> float:
    assert moment is not None
    offset = moment.utcoffset()
    assert offset is not None
    return offset.total_seconds() / 3600


# ---------------------------------------------------------------- ordinary days


def test_open_now_inside_a_range_is_open() -> None:
    assert state(OFFICE, oslo(2026, 3, 23, 10)).open_now


def test_open_now_inside_a_range_closes_at_its_end() -> None:
    assert state(OFFICE, oslo(2026, 3, 23, 10)).closes_at == oslo(2026, 3, 23, 16)


def test_open_now_at_the_closing_minute_is_closed() -> None:
    assert not state(OFFICE, oslo(2026, 3, 23, 16)).open_now


def test_open_now_at_the_opening_minute_is_open() -> None:
    assert state(OFFICE, oslo(2026, 3, 23, 8)).open_now


def test_closed_before_opening_opens_the_same_morning() -> None:
    assert state(OFFICE, oslo(2026, 3, 23, 7)).next_open == oslo(2026, 3, 23, 8)


def test_closed_in_the_evening_opens_the_next_morning() -> None:
    assert state(OFFICE, oslo(2026, 3, 23, 17)).next_open == oslo(2026, 3, 24, 8)


def test_naive_time_is_read_as_oslo_wall_clock() -> None:
    assert state(OFFICE, datetime(2026, 3, 23, 8, 30)).open_now


def test_aware_utc_time_is_converted_to_oslo_time() -> None:
    # 06:30 UTC is 08:30 in Oslo in summer (+02:00)
    assert state(OFFICE, datetime(2026, 6, 1, 6, 30, tzinfo=UTC)).open_now


def test_aware_utc_time_before_local_opening_is_closed() -> None:
    # 07:30 UTC on a winter Monday is 08:30 in Oslo (+01:00), but 05:30 UTC is 06:30
    assert not state(OFFICE, datetime(2026, 3, 23, 5, 30, tzinfo=UTC)).open_now


def test_always_open_is_open_with_no_closing_time() -> None:
    assert opening_state([], oslo(2026, 3, 23, 3), always_open=True) == OpeningState(True, None, None)


def test_no_ranges_is_closed_and_never_opens() -> None:
    assert opening_state([], oslo(2026, 3, 23, 12)) == OpeningState(False, None, None)


# ---------------------------------------------------------------- past midnight


def test_overnight_range_is_open_after_midnight() -> None:
    assert state(FRIDAY_NIGHT, oslo(2026, 3, 28, 3)).open_now


def test_overnight_range_is_closed_at_its_morning_end() -> None:
    assert not state(FRIDAY_NIGHT, oslo(2026, 3, 28, 8)).open_now


def test_overnight_range_closes_the_next_morning() -> None:
    assert state(FRIDAY_NIGHT, oslo(2026, 3, 27, 20)).closes_at == oslo(2026, 3, 28, 8)


def test_overnight_range_is_closed_on_the_friday_morning_before_it() -> None:
    # the range starts on Friday: Thursday night is not covered
    assert not state(FRIDAY_NIGHT, oslo(2026, 3, 27, 3)).open_now


# ---------------------------------------------------------------- whole days and back-to-back ranges


def test_whole_day_is_open_at_midnight() -> None:
    assert state({"mon": ["00:00-24:00"]}, oslo(2026, 3, 23, 0)).open_now


def test_whole_day_is_open_in_its_last_minute() -> None:
    assert state({"mon": ["00:00-24:00"]}, oslo(2026, 3, 23, 23, 59)).open_now


def test_whole_day_closes_at_the_next_midnight() -> None:
    assert state({"mon": ["00:00-24:00"]}, oslo(2026, 3, 23, 12)).closes_at == oslo(2026, 3, 24, 0)


def test_back_to_back_ranges_close_at_the_end_of_the_last_one() -> None:
    hours = {"mon": ["16:00-24:00"], "tue": ["00:00-24:00"], "wed": ["00:00-08:00"]}
    assert state(hours, oslo(2026, 3, 23, 17)).closes_at == oslo(2026, 3, 25, 8)


def test_back_to_back_ranges_on_one_day_are_followed() -> None:
    hours = {"mon": ["08:00-12:00", "12:00-16:00"]}
    assert state(hours, oslo(2026, 3, 23, 9)).closes_at == oslo(2026, 3, 23, 16)


# ---------------------------------------------------------------- weekends and next opening


def test_weekend_without_ranges_is_closed() -> None:
    assert not state(OFFICE, oslo(2026, 3, 28, 12)).open_now


def test_weekend_without_ranges_opens_on_monday() -> None:
    assert state(OFFICE, oslo(2026, 3, 28, 12)).next_open == oslo(2026, 3, 30, 8)


def test_weekly_range_opens_after_several_closed_days() -> None:
    assert state({"thu": ["18:00-20:00"]}, oslo(2026, 3, 27, 12)).next_open == oslo(2026, 4, 2, 18)


def test_weekend_range_is_open_on_sunday() -> None:
    assert state({"sat": ["12:00-18:00"], "sun": ["12:00-18:00"]}, oslo(2026, 3, 22, 13)).open_now


# ---------------------------------------------------------------- closed dates


def test_closed_date_cancels_the_range_starting_that_day() -> None:
    assert not state(OFFICE, oslo(2026, 3, 24, 10), closed=[date(2026, 3, 24)]).open_now


def test_closed_date_keeps_the_night_that_began_the_day_before() -> None:
    assert state(FRIDAY_NIGHT, oslo(2026, 3, 28, 3), closed=[date(2026, 3, 28)]).open_now


def test_closed_date_cancels_a_night_starting_that_day() -> None:
    assert not state(FRIDAY_NIGHT, oslo(2026, 3, 28, 3), closed=[date(2026, 3, 27)]).open_now


def test_next_open_skips_a_closed_date() -> None:
    at = oslo(2026, 3, 23, 17)
    assert state(OFFICE, at, closed=[date(2026, 3, 24)]).next_open == oslo(2026, 3, 25, 8)


def test_next_open_skips_closed_dates_and_a_weekend() -> None:
    closed = [date(2026, 3, 26), date(2026, 3, 27)]
    assert state(OFFICE, oslo(2026, 3, 25, 17), closed=closed).next_open == oslo(2026, 3, 30, 8)


def test_closed_date_ends_a_back_to_back_run_at_midnight() -> None:
    hours = {"mon": ["16:00-24:00"], "tue": ["00:00-24:00"]}
    assert state(hours, oslo(2026, 3, 23, 17), closed=[date(2026, 3, 24)]).closes_at == oslo(2026, 3, 24, 0)


# ---------------------------------------------------------------- daylight-saving days


def test_spring_change_day_is_open_at_its_wall_clock_time() -> None:
    assert state({"sun": ["10:00-16:00"]}, oslo(2026, 3, 29, 10, 30)).open_now


def test_next_open_across_spring_change_is_in_summer_time() -> None:
    next_open = state({"sun": ["10:00-16:00"]}, oslo(2026, 3, 28, 20)).next_open
    assert next_open == oslo(2026, 3, 29, 10) and utc_offset_hours(next_open) == 2


def test_night_range_over_spring_change_is_open_after_the_skipped_hour() -> None:
    # 01:30 UTC is 03:30 CEST
    assert state({"sat": ["22:00-08:00"]}, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)).open_now


def test_night_range_over_spring_change_closes_in_summer_time() -> None:
    closes_at = state({"sat": ["22:00-08:00"]}, oslo(2026, 3, 28, 23)).closes_at
    assert closes_at is not None and closes_at.astimezone(UTC) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_range_starting_in_the_skipped_hour_opens_when_the_clock_resumes() -> None:
    next_open = state({"sun": ["02:30-04:00"]}, oslo(2026, 3, 28, 23)).next_open
    assert next_open is not None and next_open.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_range_inside_the_skipped_hour_does_not_open_that_day() -> None:
    next_open = state({"sun": ["02:15-02:45"]}, oslo(2026, 3, 28, 23)).next_open
    assert next_open == oslo(2026, 4, 5, 2, 15)


def test_autumn_change_day_is_open_at_its_wall_clock_time() -> None:
    assert state({"sun": ["10:00-16:00"]}, oslo(2026, 10, 25, 15, 30)).open_now


def test_next_open_across_autumn_change_is_in_winter_time() -> None:
    next_open = state({"sun": ["10:00-16:00"]}, oslo(2026, 10, 24, 20)).next_open
    assert next_open == oslo(2026, 10, 25, 10) and utc_offset_hours(next_open) == 1


@pytest.mark.parametrize("utc_hour", [0, 1], ids=["first-02:30", "second-02:30"])
def test_night_range_is_open_in_both_passes_of_the_repeated_hour(utc_hour: int) -> None:
    assert state({"sat": ["22:00-08:00"]}, datetime(2026, 10, 25, utc_hour, 30, tzinfo=UTC)).open_now


def test_next_open_in_the_repeated_hour_comes_after_the_time_asked() -> None:
    # 01:20 UTC is 02:20 in the second pass (+01:00); 02:30 +02:00 would be 00:30 UTC, in the past
    next_open = state({"sun": ["02:30-02:50"]}, datetime(2026, 10, 25, 1, 20, tzinfo=UTC)).next_open
    assert next_open is not None and next_open.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


# ---------------------------------------------------------------- invalid hours


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"mon": ["25:00-26:00"]}, "opens at a time that does not exist"),
        ({"mon": ["08:00-24:30"]}, "closes at a time that does not exist"),
        ({"mon": ["08:00-08:00"]}, "opens and closes at the same time"),
        ({"mon": ["8-16"]}, "is not a time range like 08:00-15:30"),
        ({"mon": ["08:00-12:00", "11:00-14:00"]}, "mon 08:00-12:00 overlaps mon 11:00-14:00"),
        ({"mon": ["20:00-08:00"], "tue": ["07:00-09:00"]}, "mon 20:00-08:00 overlaps tue 07:00-09:00"),
        ({"sun": ["20:00-08:00"], "mon": ["07:00-09:00"]}, "sun 20:00-08:00 overlaps mon 07:00-09:00"),
        ({"monday": ["08:00-16:00"]}, "'monday' is not a weekday"),
    ],
    ids=["hour-25", "minute-past-24", "zero-length", "no-minutes", "overlap", "night-overlap", "week-wrap", "day"],
)
def test_parse_week_invalid_hours_raise_a_clear_value_error(hours: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_week(hours)


def test_parse_week_accepts_an_en_dash_and_single_digit_hours() -> None:
    assert format_week(parse_week({"mon": ["8:00–16:00"]})) == {"mon": ["08:00-16:00"]}


# ---------------------------------------------------------------- properties

_MINUTES = st.integers(min_value=0, max_value=96).map(lambda quarter: quarter * 15)
_RANGES = st.lists(
    st.tuples(st.integers(min_value=0, max_value=6), _MINUTES, _MINUTES).filter(lambda r: r[1] != r[2] and r[1] < 1440),
    max_size=8,
)
_DST_DAYS = (SPRING_CHANGE, AUTUMN_CHANGE)


@st.composite
def weekly_schedules(draw: st.DrawFn) -> list[Interval]:
    """A valid week: random ranges, keeping each one that does not overlap those kept before it."""
    kept: list[Interval] = []
    for weekday, opens, closes in draw(_RANGES):
        candidate = [*kept, Interval(weekday, opens, closes)]
        try:
            parse_week(format_week(candidate))
        except ValueError:
            continue
        kept = candidate
    return sorted(kept)


# Half the instants fall within two days of a daylight-saving change, where wall time is tricky.
_INSTANTS = st.one_of(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
    st.builds(
        lambda day, minutes: datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(minutes=minutes),
        st.sampled_from(_DST_DAYS),
        st.integers(min_value=-2 * 1440, max_value=2 * 1440),
    ),
)


@settings(max_examples=300, deadline=None)
@given(intervals=weekly_schedules(), at=_INSTANTS, closed_offsets=st.sets(st.integers(min_value=-1, max_value=9)))
def test_next_open_is_later_and_open(intervals: list[Interval], at: datetime, closed_offsets: set[int]) -> None:
    local_day = at.astimezone(OSLO).date()
    closed = [local_day + timedelta(days=offset) for offset in closed_offsets]
    now = opening_state(intervals, at, closed_dates=closed)
    if now.open_now or now.next_open is None:
        return
    assert now.next_open.astimezone(UTC) > at.astimezone(UTC)
    assert opening_state(intervals, now.next_open, closed_dates=closed).open_now


@settings(max_examples=200, deadline=None)
@given(intervals=weekly_schedules(), at=_INSTANTS)
def test_closes_at_is_later_than_an_open_moment(intervals: list[Interval], at: datetime) -> None:
    now = opening_state(intervals, at)
    if not now.open_now:
        return
    assert now.closes_at is not None and now.closes_at.astimezone(UTC) > at.astimezone(UTC)


@settings(max_examples=200, deadline=None)
@given(intervals=weekly_schedules())
def test_format_week_of_parse_week_is_a_fixed_point(intervals: list[Interval]) -> None:
    written = format_week(intervals)
    assert format_week(parse_week(written)) == written
