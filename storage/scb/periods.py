"""SCB reporting periods, one TOML file per calendar half-year.

Each file (``2026H1.toml`` …) has a ``[period]`` table with ``code``, ``start``,
``end`` and ``deadline`` as TOML dates. Other tables in the file (the period's
code lists) are left to their own readers.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

_CODE_PATTERN = re.compile(r"^(\d{4})H([12])$")


class PeriodFileError(ValueError):
    """A period file is missing a value or contradicts itself (Swedish message)."""


@dataclass(frozen=True)
class ReportingPeriod:
    """A half-year reported to SCB and the day its file must be uploaded."""

    code: str
    start: date
    end: date
    deadline: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def load_periods(directory: Path | Traversable | None = None) -> list[ReportingPeriod]:
    """All periods sorted by start, from ``directory`` or the bundled files.

    Raises PeriodFileError naming the file when one is malformed.
    """
    if directory is None:
        return list(_bundled_periods())
    return _read_directory(directory)


def period_for(day: date, periods: list[ReportingPeriod] | None = None) -> ReportingPeriod | None:
    """The period ``day`` falls in, or None when no file covers it."""
    candidates = _bundled_periods() if periods is None else periods
    return next((period for period in candidates if period.contains(day)), None)


@cache
def _bundled_periods() -> tuple[ReportingPeriod, ...]:
    return tuple(_read_directory(resources.files(__package__)))


def _read_directory(directory: Path | Traversable) -> list[ReportingPeriod]:
    # File names equal the codes and each code fixes its half-year, so the
    # periods cannot overlap or repeat.
    periods = [_read_file(entry) for entry in directory.iterdir() if entry.name.endswith(".toml")]
    return sorted(periods, key=lambda period: period.start)


def _read_file(entry: Path | Traversable) -> ReportingPeriod:
    name = entry.name
    try:
        document = tomllib.loads(entry.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PeriodFileError(f"SCB-periodfilen {name} går inte att läsa: {error}") from error
    table = document.get("period")
    if not isinstance(table, dict):
        raise PeriodFileError(f"SCB-periodfilen {name} saknar tabellen [period].")
    code = table.get("code")
    if not isinstance(code, str) or (match := _CODE_PATTERN.match(code)) is None:
        raise PeriodFileError(
            f'SCB-periodfilen {name}: code måste vara år och halvår, till exempel "2026H1".'
        )
    if name != f"{code}.toml":
        raise PeriodFileError(f"SCB-periodfilen {name} ska heta {code}.toml.")
    start = _date_value(name, table, "start")
    end = _date_value(name, table, "end")
    deadline = _date_value(name, table, "deadline")
    year, half = int(match.group(1)), int(match.group(2))
    expected = (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (
            date(year, 7, 1),
            date(year, 12, 31),
        )
    )
    if (start, end) != expected:
        raise PeriodFileError(
            f"SCB-periodfilen {name}: perioden {code} ska gå från "
            f"{expected[0].isoformat()} till {expected[1].isoformat()}."
        )
    if deadline <= end:
        raise PeriodFileError(
            f"SCB-periodfilen {name}: deadline ska ligga efter periodens slut {end.isoformat()}."
        )
    return ReportingPeriod(code=code, start=start, end=end, deadline=deadline)


def _date_value(name: str, table: dict[str, Any], key: str) -> date:
    value = table.get(key)
    # TOML local dates load as date; a datetime (also a date subclass) is a mistake here.
    if type(value) is not date:
        raise PeriodFileError(
            f"SCB-periodfilen {name}: [period].{key} saknas eller är inte ett datum som 2026-09-14."
        )
    return value
