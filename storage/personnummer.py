"""Parsing and validation of Swedish personnummer and samordningsnummer.

Century inference and all messages are our own: python-stdnum's helpers read the
system clock and reject samordningsnummer, so only its Luhn check is used.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from stdnum import luhn

from storage.calendar_names import MONTH_NAMES

Gender = Literal["kvinna", "man"]

SAMORDNING_DAY_OFFSET = 60

_FORMAT_HINT = "Skriv det som ÅÅÅÅMMDD-NNNN (12 siffror) eller ÅÅMMDD-NNNN (10 siffror)."
_DIGITS = frozenset("0123456789")
_SEPARATORS = frozenset("-+")
# Dashes that word processors and web pages substitute for a hyphen when copied.
_DASH_LOOKALIKES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


class PersonnummerError(ValueError):
    """Carries a Swedish, user-facing message in str(exc) — shown to the coordinator as is."""


@dataclass(frozen=True)
class Personnummer:
    # repr=False keeps the number out of logs and tracebacks that print the object.
    digits: str = field(repr=False)
    birth_date: date = field(repr=False)
    is_samordningsnummer: bool
    gender: Gender

    @property
    def formatted(self) -> str:
        return format_personnummer(self.digits)

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def format_personnummer(digits: str) -> str:
    """A stored 12-digit number as people write it: ÅÅÅÅMMDD-NNNN."""
    return f"{digits[:8]}-{digits[8:]}"


def parse_personnummer(text: str, today: date) -> Personnummer:
    compact = "".join(text.split()).translate(_DASH_LOOKALIKES)
    if not compact:
        raise PersonnummerError(f"Personnumret saknas. {_FORMAT_HINT}")
    if not set(compact) <= _DIGITS | _SEPARATORS:
        raise PersonnummerError(
            "Personnumret får bara innehålla siffror och ett bindestreck "
            f"(eller plustecken för den som fyllt 100). {_FORMAT_HINT}"
        )
    separators = [char for char in compact if char in _SEPARATORS]
    digits = "".join(char for char in compact if char in _DIGITS)
    if len(digits) not in (10, 12):
        raise PersonnummerError(
            f"Personnumret ska ha 10 eller 12 siffror, men har {len(digits)}. {_FORMAT_HINT}"
        )
    separator = separators[0] if separators else ""
    if len(separators) > 1 or (separator and compact[-5] != separator):
        raise PersonnummerError(
            f"Bindestrecket ska stå en gång, före de fyra sista siffrorna. {_FORMAT_HINT}"
        )
    if separator == "+" and len(digits) == 12:
        raise PersonnummerError(
            "Plustecken används bara i den korta formen ÅÅMMDD+NNNN för den som fyllt 100 år. "
            "Med hela födelseåret skriver du ÅÅÅÅMMDD-NNNN."
        )

    full_digits, birth_date, is_samordningsnummer = _resolve_date(digits, separator == "+", today)
    if birth_date > today:
        raise PersonnummerError(
            f"Födelsedatumet {birth_date.isoformat()} har inte varit än. "
            f"Kontrollera året. {_FORMAT_HINT}"
        )
    if not luhn.is_valid(full_digits[2:]):
        raise PersonnummerError(
            "Kontrollsiffran stämmer inte, så någon siffra är troligen fel. "
            "Jämför med källan och skriv det som ÅÅÅÅMMDD-NNNN."
        )
    return Personnummer(
        digits=full_digits,
        birth_date=birth_date,
        is_samordningsnummer=is_samordningsnummer,
        gender="man" if int(full_digits[-2]) % 2 else "kvinna",
    )


def _resolve_date(digits: str, plus: bool, today: date) -> tuple[str, date, bool]:
    """Return the 12-digit form, the real birth date and whether it is a samordningsnummer."""
    date_part = digits[-10:-4]
    month = int(date_part[2:4])
    written_day = int(date_part[4:6])
    if not 1 <= month <= 12:
        raise PersonnummerError(
            f"Månaden {date_part[2:4]} finns inte – den ska vara 01–12. {_FORMAT_HINT}"
        )
    is_samordningsnummer = written_day > SAMORDNING_DAY_OFFSET
    day = written_day - SAMORDNING_DAY_OFFSET if is_samordningsnummer else written_day
    if not 1 <= day <= 31:
        raise PersonnummerError(
            f"Dagen {date_part[4:6]} finns inte – den ska vara 01–31, "
            f"eller 61–91 i ett samordningsnummer (dag + 60). {_FORMAT_HINT}"
        )

    if len(digits) == 12:
        year = int(digits[:4])
    else:
        year = _infer_year(int(digits[:2]), month, day, plus, today)

    try:
        birth_date = date(year, month, day)
    except ValueError:
        message = _impossible_date_message(year, month, day, is_samordningsnummer)
        raise PersonnummerError(message) from None
    return f"{year:04d}{digits[-8:]}", birth_date, is_samordningsnummer


def _infer_year(two_digit_year: int, month: int, day: int, plus: bool, today: date) -> int:
    """Most recent year giving age 0–99 on today, or 100 years earlier for '+'."""
    year = today.year - (today.year - two_digit_year) % 100
    # Compared as tuples so that an impossible day still yields a year for the error message.
    if (month, day) > (today.month, today.day) and year == today.year:
        year -= 100
    return year - 100 if plus else year


def _impossible_date_message(year: int, month: int, day: int, is_samordningsnummer: bool) -> str:
    written = f"{year:04d}-{month:02d}-{day:02d}"
    if is_samordningsnummer:
        problem = f"Samordningsnumret ger födelsedatumet {written} (dag minus 60), som inte finns"
    else:
        problem = f"Datumet {written} finns inte"
    days_in_month = (
        31,
        29 if calendar.isleap(year) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    )[month - 1]
    if day > days_in_month:
        problem += f" – {MONTH_NAMES[month - 1]} {year:04d} har bara {days_in_month} dagar"
    return f"{problem}. {_FORMAT_HINT}"
