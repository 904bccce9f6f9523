"""Swedish working days, month arithmetic and the local digest moment.

Working days are Monday–Friday minus Swedish public holidays and the de facto
holidays (julafton, midsommarafton, nyårsafton) that municipal offices close on.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

STOCKHOLM = "Europe/Stockholm"


@cache
def _holidays_in(year: int) -> frozenset[date]:
    # One frozen set per year keeps lookups cheap when millions of dates are checked.
    swedish = holidays.Sweden(categories=("public", "de_facto"), language="sv", years=year)
    return frozenset(swedish.keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_in(day.year)


def is_digest_day(day: date) -> bool:
    """Whether the daily digest goes out on ``day`` (only on working days)."""
    return is_working_day(day)


# Pure and called for every case every day with few distinct dates: worth remembering.
@lru_cache(maxsize=1 << 16)
def add_working_days(day: date, count: int) -> date:
    """The date ``count`` working days after ``day`` (before it when negative).

    ``day`` itself is never counted, so two working days after a Friday is the
    Tuesday. With ``count == 0`` the date is returned unchanged.
    """
    step = timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    current = day
    while remaining:
        current += step
        if is_working_day(current):
            remaining -= 1
    return current


def previous_working_day(day: date) -> date:
    """The last working day strictly before ``day``."""
    return add_working_days(day, -1)


@lru_cache(maxsize=1 << 16)
def add_months(day: date, months: int) -> date:
    """Calendar months later (earlier when negative).

    When the target month has no such day the last day of that month is used,
    as in lagen (1930:173) om beräkning av lagstadgad tid: 31 Jan + 1 month is
    28/29 Feb and 29 Feb + 12 months is 28 Feb.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@cache
def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)


def digest_moment(day: date, at: time, tz: str = STOCKHOLM) -> datetime:
    """The aware UTC instant of wall-clock time ``at`` on ``day`` in ``tz``.

    07:30 in Stockholm is 06:30 UTC in winter and 05:30 UTC in summer, also on
    the days the clocks change.
    """
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=_zone(tz))
    return local.astimezone(UTC)
