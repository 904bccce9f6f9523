"""The time window of a report: a month, a calendar half-year or a school year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from storage.calendar_names import MONTH_NAMES

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HALF_YEAR = re.compile(r"^(\d{4})\s*[Hh]([12])$")
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})$")


class PeriodError(ValueError):
    """The period could not be read; the message is Swedish and user-facing."""


@dataclass(frozen=True)
class Period:
    """A closed date range ``start``..``end`` (both days included) with its code and label."""

    code: str
    start: date
    end: date
    label: str

    def half_years(self) -> list[str]:
        """The calendar half-year codes (``2025H2``) the period touches, in order."""
        codes: list[str] = []
        day = self.start
        while day <= self.end:
            code = half_year_code(day)
            if code not in codes:
                codes.append(code)
            day = date(day.year, 7, 1) if day.month <= 6 else date(day.year + 1, 1, 1)
        return codes


def half_year_code(day: date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


def parse_period(text: str) -> Period:
    """``2026-03`` (a month), ``2026H1`` (a half-year) or ``2025/26`` (1 July–30 June)."""
    value = (text or "").strip()
    if match := _MONTH.match(value):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(f"Månaden i {value} finns inte. Skriv till exempel 2026-03.")
        end = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
        return Period(value, date(year, month, 1), end, f"{MONTH_NAMES[month - 1]} {year}")
    if match := _HALF_YEAR.match(value):
        year, half = int(match.group(1)), int(match.group(2))
        code = f"{year}H{half}"
        if half == 1:
            return Period(code, date(year, 1, 1), date(year, 6, 30), f"första halvåret {year}")
        return Period(code, date(year, 7, 1), date(year, 12, 31), f"andra halvåret {year}")
    if match := _SCHOOL_YEAR.match(value):
        year, following = int(match.group(1)), match.group(2)
        expected = year + 1
        if int(following) not in (expected % 100, expected):
            raise PeriodError(
                f"Läsåret {value} går inte ihop – skriv till exempel {year}/{expected % 100:02d}."
            )
        code = f"{year}/{expected % 100:02d}"
        return Period(code, date(year, 7, 1), date(expected, 6, 30), f"läsåret {code}")
    raise PeriodError(
        "Jag förstår inte perioden. Skriv en månad (2026-03), ett halvår (2026H1) "
        "eller ett läsår (2025/26)."
    )


def current_half_year(today: date) -> Period:
    return parse_period(half_year_code(today))


def half_year(text: str) -> Period:
    """A calendar half-year such as ``2026H1``, and nothing else (SCB reports by half-year)."""
    value = (text or "").strip()
    if not _HALF_YEAR.match(value):
        raise PeriodError(
            f"{value or 'Perioden'} är inget halvår. Skriv år och halvår, till exempel 2027H1."
        )
    return parse_period(value)


def previous_half_year(period: Period) -> Period:
    return current_half_year(period.start - timedelta(days=1))


def next_half_year(period: Period) -> Period:
    return current_half_year(period.end + timedelta(days=1))
