"""Dates as coordinators type them in Swedish chat: "igår", "på fredag", "om 2 veckor", "15/3",
built on the unambiguous dates of storage/dates.py ("2026-03-15", "15/3/2026").

Parsing is pure: the caller passes today's date (Europe/Stockholm), so results never depend
on the clock. Input is compared with å/ä/ö folded to a/a/o, so "igar" and "sondag" work too.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from storage.calendar_names import MONTH_NAMES, WEEKDAY_NAMES
from storage.dates import DateInputError, calendar_date, unambiguous_date
from storage.swedish_text import SWEDISH_FOLD

EXAMPLES = (
    "idag, igår, i måndags, på fredag, nästa vecka, om 2 veckor, 15/3, 15 mars eller 2026-03-15"
)


# Days from today, keyed by the folded text with its spaces removed ("i går" -> "igar").
_DAY_OFFSETS = {
    "idag": 0,
    "igar": -1,
    "iforrgar": -2,
    "forrgar": -2,
    "imorgon": 1,
    "imorn": 1,
    "iovermorgon": 2,
    "overmorgon": 2,
}
_NUMBER_WORDS = {
    "en": 1, "ett": 1, "tva": 2, "tre": 3, "fyra": 4, "fem": 5,
    "sex": 6, "sju": 7, "atta": 8, "nio": 9, "tio": 10,
}  # fmt: skip
_UNIT_DAYS = {"dag": 1, "dagar": 1, "vecka": 7, "veckor": 7}
_UNIT_MONTHS = {"manad": 1, "manader": 1, "ar": 12}
_SHORTEST_MONTH_ABBREVIATION = 3

_FOLDED_WEEKDAYS = tuple(name.translate(SWEDISH_FOLD) for name in WEEKDAY_NAMES)
_WEEKDAY = "|".join(_FOLDED_WEEKDAYS)
_AMOUNT = "|".join([r"\d{1,3}", *_NUMBER_WORDS])
_UNIT = "|".join([*_UNIT_DAYS, *_UNIT_MONTHS])

_PAST_WEEKDAY = re.compile(rf"(?:i )?({_WEEKDAY})s")
_NEXT_WEEKDAY = re.compile(rf"(?:(?:i|pa) )?({_WEEKDAY})")
_NEXT_WEEK = re.compile(r"nasta vecka(?:n)?")
_IN_AMOUNT = re.compile(rf"om ({_AMOUNT}) ({_UNIT})")
_AGO_AMOUNT = re.compile(rf"for ({_AMOUNT}) ({_UNIT}) (?:sedan|sen)")
_DAY_MONTH = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:(?: ?[./-] ?| )(\d{4}|\d{2}))?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})(?::?[ae] | ?)([a-z]+)\.?(?: (\d{4}))?")


@dataclass(frozen=True)
class _Parsed:
    value: date
    # True for a day and month typed without a year, which were placed in the current year.
    yearless: bool = False


def parse_swedish_date(text: str, today: date) -> date:
    return _parse(text, today).value


def parse_past_date(text: str, today: date) -> date:
    """A date for something that has happened: today or earlier."""
    parsed = _parse(text, today)
    if parsed.value <= today:
        return parsed.value
    message = (
        f"Datumet {format_date(parsed.value)} har inte varit än. "
        "Skriv ett datum som redan har varit, till exempel idag, igår, i måndags eller 15/3."
    )
    if parsed.yearless:
        message += _year_hint(_add_months(parsed.value, -12))
    raise DateInputError(message)


def parse_future_date(text: str, today: date) -> date:
    """A date for something planned: today or later."""
    parsed = _parse(text, today)
    if parsed.value >= today:
        return parsed.value
    message = (
        f"Datumet {format_date(parsed.value)} har redan varit. "
        "Skriv dagens datum eller ett senare, "
        "till exempel imorgon, på fredag, om 2 veckor eller 15/3."
    )
    if parsed.yearless:
        message += _year_hint(_add_months(parsed.value, 12))
    raise DateInputError(message)


def format_date(d: date) -> str:
    return d.isoformat()


def format_day_month(d: date) -> str:
    return f"{d.day} {MONTH_NAMES[d.month - 1]}"


def _year_hint(suggestion: date) -> str:
    return (
        f" Menar du {format_date(suggestion)}? Skriv i så fall året också, "
        f"till exempel {suggestion.day}/{suggestion.month} {suggestion.year}."
    )


def _normalize(text: str) -> str:
    folded = text.strip().lower().translate(SWEDISH_FOLD).rstrip(".,!?;: ")
    words = folded.split()
    if len(words) > 1 and words[0] == "den":
        words = words[1:]
    return " ".join(words)


def _parse(text: str, today: date) -> _Parsed:
    normalized = _normalize(text)
    if not normalized:
        raise DateInputError(f"Skriv ett datum, till exempel {EXAMPLES}.")
    parsed = _parse_relative(normalized, today) or _parse_calendar_date(normalized, today)
    if parsed is None:
        raise DateInputError(
            f"Jag förstod inte ”{_shorten(text.strip())}” som ett datum. "
            f"Skriv till exempel {EXAMPLES}."
        )
    return parsed


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse_relative(text: str, today: date) -> _Parsed | None:
    offset = _DAY_OFFSETS.get(text.replace(" ", ""))
    if offset is not None:
        return _Parsed(today + timedelta(days=offset))
    if match := _PAST_WEEKDAY.fullmatch(text):
        days_back = (today.weekday() - _weekday_index(match[1])) % 7 or 7
        return _Parsed(today - timedelta(days=days_back))
    if match := _NEXT_WEEKDAY.fullmatch(text):
        days_ahead = (_weekday_index(match[1]) - today.weekday()) % 7 or 7
        return _Parsed(today + timedelta(days=days_ahead))
    if _NEXT_WEEK.fullmatch(text):
        return _Parsed(today + timedelta(days=7 - today.weekday()))
    if match := _IN_AMOUNT.fullmatch(text):
        return _Parsed(_shift(today, _amount(match[1]), match[2]))
    if match := _AGO_AMOUNT.fullmatch(text):
        return _Parsed(_shift(today, -_amount(match[1]), match[2]))
    return None


def _parse_calendar_date(text: str, today: date) -> _Parsed | None:
    if (day := unambiguous_date(text)) is not None:
        return _Parsed(day)
    if match := _DAY_MONTH.fullmatch(text):
        return _with_optional_year(int(match[1]), int(match[2]), match[3], today)
    if (match := _DAY_MONTH_NAME.fullmatch(text)) and (month := _month_from_name(match[2])):
        return _with_optional_year(int(match[1]), month, match[3], today)
    return None


def _with_optional_year(day: int, month: int, year_text: str | None, today: date) -> _Parsed:
    if year_text is None:
        return _Parsed(calendar_date(today.year, month, day), yearless=True)
    year = int(year_text)
    # A two-digit year ("15/3-26") always means this century.
    return _Parsed(calendar_date(year + 2000 if len(year_text) == 2 else year, month, day))


def _month_from_name(word: str) -> int | None:
    if len(word) < _SHORTEST_MONTH_ABBREVIATION:
        return None
    # Three letters already tell every month apart ("mar"/"maj", "jun"/"jul").
    return next(
        (number for number, name in enumerate(MONTH_NAMES, 1) if name.startswith(word)), None
    )


def _weekday_index(folded_name: str) -> int:
    return _FOLDED_WEEKDAYS.index(folded_name)


def _amount(text: str) -> int:
    return _NUMBER_WORDS[text] if text in _NUMBER_WORDS else int(text)


def _shift(today: date, amount: int, unit: str) -> date:
    if unit in _UNIT_DAYS:
        return today + timedelta(days=amount * _UNIT_DAYS[unit])
    return _add_months(today, amount * _UNIT_MONTHS[unit])


def _add_months(d: date, months: int) -> date:
    """Same day of month `months` later; a day the target month lacks becomes its last day."""
    year, month_index = divmod(d.year * 12 + d.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
