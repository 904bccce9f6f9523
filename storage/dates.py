"""Dates written so that they can only be one day: 2026-03-15, 20260315, 15/3/2026 or
15.3.2026 (day first, the Swedish order, with the whole year).

The file import reads its cells with these alone; the chat (dialogs/dates.py) builds the
Swedish relative dates ("igår", "på fredag", "15 mars") on them. A date that is written as
one but does not exist (30 February) gets a Swedish message saying why.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from storage.calendar_names import MONTH_NAMES

YEARS = range(1900, 2101)

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")


class DateInputError(ValueError):
    """str(exc) is a Swedish, user-facing message: what was not understood, with examples."""


def unambiguous_date(text: str) -> date | None:
    """The day the text writes in one of the forms above; None when it is in none of them."""
    if match := _ISO.fullmatch(text) or _COMPACT.fullmatch(text):
        return calendar_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _DAY_FIRST.fullmatch(text):
        return calendar_date(int(match[3]), int(match[2]), int(match[1]))
    return None


def calendar_date(year: int, month: int, day: int) -> date:
    """The day, or DateInputError saying which part does not exist."""
    if year not in YEARS:
        raise DateInputError(f"Året {year} verkar inte stämma. Skriv till exempel 2026-03-15.")
    if not 1 <= month <= 12:
        raise DateInputError(
            f"Månad {month} finns inte, det finns bara 12 månader. "
            "Skriv till exempel 15/3 eller 2026-03-15."
        )
    month_name = MONTH_NAMES[month - 1]
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise DateInputError(
            f"Den {day} {month_name} {year} finns inte, "
            f"{month_name} {year} har {days_in_month} dagar."
        )
    return date(year, month, day)
