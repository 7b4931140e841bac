"""Weekly opening hours in local (Europe/Oslo) wall-clock time: parsing, open-now and next opening.

Pure functions with no database or web import. Times are minutes after local midnight; 1440 is
"24:00". A range that ends at or before its start runs past midnight into the next day, so
``16:00-08:00`` on Friday covers Friday evening and Saturday morning. A closed date cancels the
ranges that *start* on that date; a night that began the day before still runs to its end.

Ranges are wall-clock times, so on the two daylight-saving days a wall time is turned into an instant
with care: a time the spring change skips (02:00-03:00) means the first minute the clock shows after it,
and a time the autumn change repeats means its first showing after the moment asked about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HSDS_BYDAY: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")
_SEARCH_DAYS = 60


@dataclass(frozen=True, order=True)
class Interval:
    """One opening range on one weekday (0 = Monday)."""

    weekday: int
    opens: int
    closes: int

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens

    @property
    def text(self) -> str:
        return f"{format_minutes(self.opens)}-{format_minutes(self.closes)}"


def format_minutes(minutes: int) -> str:
    """``510`` -> ``"08:30"``; 1440 is written ``"24:00"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_range(text: str) -> tuple[int, int]:
    """Parse ``"08:00-15:30"`` into minutes, or raise ValueError saying what is wrong."""
    match = _RANGE.match(text)
    if not match:
        raise ValueError(f"'{text[:40]}' is not a time range like 08:00-15:30")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59:
        raise ValueError(f"'{text[:40]}' opens at a time that does not exist")
    if h2 > 24 or m2 > 59 or (h2 == 24 and m2 != 0):
        raise ValueError(f"'{text[:40]}' closes at a time that does not exist")
    opens, closes = h1 * 60 + m1, h2 * 60 + m2
    if opens == closes:
        raise ValueError(f"'{text[:40]}' opens and closes at the same time; use 00:00-24:00 for a whole day")
    return opens, closes


def parse_week(hours: Mapping[Any, Sequence[str]]) -> list[Interval]:
    """Turn ``{"mon": ["08:00-15:30"]}`` into sorted intervals; ValueError on bad days, ranges or overlaps."""
    intervals: list[Interval] = []
    for day, ranges in hours.items():
        if day not in WEEKDAYS:
            raise ValueError(f"'{str(day)[:20]}' is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
        for text in ranges:
            opens, closes = parse_range(str(text))
            intervals.append(Interval(WEEKDAYS.index(day), opens, closes))
    intervals.sort()
    _check_overlaps(intervals)
    return intervals


def _check_overlaps(intervals: Sequence[Interval]) -> None:
    week = 7 * 1440
    spans = []
    for iv in intervals:
        start = iv.weekday * 1440 + iv.opens
        end = iv.weekday * 1440 + iv.closes + (1440 if iv.overnight else 0)
        spans.append((start, end, iv))
    spans.sort(key=lambda s: s[0])
    for (_s1, e1, a), (s2, _e2, b) in zip(spans, spans[1:], strict=False):
        if s2 < e1:
            raise ValueError(f"{WEEKDAYS[a.weekday]} {a.text} overlaps {WEEKDAYS[b.weekday]} {b.text}")
    if len(spans) > 1 and spans[-1][1] > week and spans[-1][1] - week > spans[0][0]:
        last, first = spans[-1][2], spans[0][2]
        raise ValueError(f"{WEEKDAYS[last.weekday]} {last.text} overlaps {WEEKDAYS[first.weekday]} {first.text}")


def format_week(intervals: Iterable[Interval]) -> dict[str, list[str]]:
    """The inverse of :func:`parse_week`, with days in week order and empty days left out."""
    week: dict[str, list[str]] = {}
    for iv in sorted(intervals):
        week.setdefault(WEEKDAYS[iv.weekday], []).append(iv.text)
    return week


@dataclass(frozen=True)
class OpeningState:
    """Whether a door is open at a moment and, when it is not, when it next opens."""

    open_now: bool
    next_open: datetime | None
    closes_at: datetime | None


def _occurrences(
    intervals: Sequence[Interval], closed: frozenset[date], start_day: date, days: int
) -> Iterator[tuple[date, Interval, date, int]]:
    """Each opening range from ``start_day`` on, with the day and minute it ends."""
    for offset in range(days):
        day = start_day + timedelta(days=offset)
        if day in closed:
            continue
        for iv in intervals:
            if iv.weekday == day.weekday():
                end_day = day + timedelta(days=1) if iv.overnight else day
                end_minutes = iv.closes
                if end_minutes == 1440:
                    end_day, end_minutes = day + timedelta(days=1), 0
                yield day, iv, end_day, end_minutes


def opening_state(
    intervals: Sequence[Interval],
    at: datetime,
    *,
    closed_dates: Iterable[date] = (),
    always_open: bool = False,
    tz: ZoneInfo | None = None,
) -> OpeningState:
    """Compute open-now, the next opening (when closed) and the closing time (when open) at ``at``."""
    zone = tz or ZoneInfo("Europe/Oslo")
    if always_open:
        return OpeningState(True, None, None)
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    local = at.astimezone(zone)
    wall = local.replace(tzinfo=None)
    closed = frozenset(closed_dates)
    for day, iv, end_day, end_minutes in _occurrences(intervals, closed, local.date() - timedelta(days=1), 2):
        start = datetime.combine(day, time(0)) + timedelta(minutes=iv.opens)
        end = datetime.combine(end_day, time(0)) + timedelta(minutes=end_minutes)
        if start <= wall < end:
            return OpeningState(True, None, _instant(_extend(intervals, closed, end), zone, after=at))
    for day, iv, end_day, end_minutes in _occurrences(intervals, closed, local.date(), _SEARCH_DAYS):
        start = datetime.combine(day, time(0)) + timedelta(minutes=iv.opens)
        end = datetime.combine(end_day, time(0)) + timedelta(minutes=end_minutes)
        if start > wall and _shown(start, zone) < end:
            return OpeningState(False, _instant(start, zone, after=at), None)
    return OpeningState(False, None, None)


def _shown(wall: datetime, zone: ZoneInfo) -> datetime:
    """The wall time itself, or the first minute after it when the spring change skips it."""
    while wall.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
        wall += timedelta(minutes=1)
    return wall


def _instant(wall: datetime, zone: ZoneInfo, *, after: datetime) -> datetime:
    """The first moment after ``after`` at which the clock shows ``wall`` (see the module docstring)."""
    shown = _shown(wall, zone)
    first = shown.replace(tzinfo=zone)
    # Aware datetimes sharing a tzinfo compare by wall time, ignoring fold: compare in UTC.
    if first.astimezone(UTC) > after.astimezone(UTC):
        return first
    return shown.replace(tzinfo=zone, fold=1)


def _extend(intervals: Sequence[Interval], closed: frozenset[date], end: datetime) -> datetime:
    """Follow ranges that start exactly when the previous one ends (16:00-24:00 then 00:00-24:00)."""
    for _ in range(8):
        for day, iv, end_day, end_minutes in _occurrences(intervals, closed, end.date(), 1):
            if datetime.combine(day, time(0)) + timedelta(minutes=iv.opens) == end:
                end = datetime.combine(end_day, time(0)) + timedelta(minutes=end_minutes)
                break
        else:
            return end
    return end
