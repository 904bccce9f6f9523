"""The parts of a sentence read before its words: a case number, a personnummer, a time of
day and the dates ("igår", "i fredags", "om två veckor", "15/3" — dialogs.dates reads them).

Each part takes its words, so neither the vocabulary nor the names look at them again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dialogs.dates import DateInputError, parse_swedish_date
from dialogs.sentence_text import Word, scan
from storage.calendar_names import WEEKDAY_NAMES
from storage.swedish_text import SWEDISH_FOLD

_PERSONNUMMER = re.compile(r"\d{6}(?:\d{2})?[-+]?\d{4}")
_CASE_WORDS = frozenset({"arende", "arendenummer", "arendenr", "nr", "#"})
_CLOCK_WORDS = frozenset({"kl", "klockan"})
_CLOCK = re.compile(r"\d{1,2}(?:[:.]\d{2})?")
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")
_LONGEST_DATE = 4
# "sedan måndag" is the Monday that was, not the next one.
_SINCE = frozenset({"sedan", "sen"})
_WEEKDAYS = frozenset(name.translate(SWEDISH_FOLD) for name in WEEKDAY_NAMES)


@dataclass(frozen=True)
class Dated:
    """A date read from words[first:last]."""

    day: date
    first: int
    last: int
    clause: int


def identifiers(words: list[Word]) -> tuple[int | None, str | None]:
    """A case number ("ärende 12", "#12") and a personnummer, if written."""
    case_number = personnummer = None
    for i, word in enumerate(words):
        if personnummer is None and _PERSONNUMMER.fullmatch(word.text):
            personnummer = word.text
            word.taken = True
        follows = i + 1 < len(words) and words[i + 1].text.isdigit()
        if case_number is None and word.text in _CASE_WORDS and follows:
            case_number = int(words[i + 1].text)
            word.taken = words[i + 1].taken = True
    return case_number, personnummer


def time_of_day(words: list[Word], text: str) -> str | None:
    """A time of day ("kl 14", "14:30"), as written."""
    for i, word in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else None
        if word.text in _CLOCK_WORDS and after is not None and _CLOCK.fullmatch(after.text):
            word.taken = after.taken = True
            return text[word.start : after.end]
        if _TIME_OF_DAY.fullmatch(word.text):
            word.taken = True
            return text[word.start : word.end]
    return None


def dates(words: list[Word], today: date) -> list[Dated]:
    """Every date in the sentence, the longest reading at each place, in reading order."""
    return scan(words, lambda start: _date_at(words, start, today))


def _date_at(words: list[Word], start: int, today: date) -> Dated | None:
    for length in range(min(_LONGEST_DATE, len(words) - start), 0, -1):
        window = words[start : start + length]
        if any(word.taken for word in window):
            continue
        text = " ".join(word.text for word in window)
        try:
            day = parse_swedish_date(text, today)
        except DateInputError:
            continue
        since = start > 0 and words[start - 1].text in _SINCE
        if since and day > today and text in _WEEKDAYS:
            day -= timedelta(days=7)
        return Dated(day, start, start + length, window[0].clause)
    return None


def untake(words: list[Word], dated: Dated) -> None:
    """A date that is not the record's stays in the note."""
    for word in words[dated.first : dated.last]:
        word.taken = False
