"""Tests for dialogs.dates (Swedish date phrases, resolved against a fixed `today`) and the
unambiguous dates of storage.dates they are built on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from dialogs.dates import (
    DateInputError,
    format_date,
    format_day_month,
    parse_future_date,
    parse_past_date,
    parse_swedish_date,
)
from storage.dates import unambiguous_date

WEDNESDAY = date(2026, 3, 18)
MONDAY = date(2026, 3, 16)
SUNDAY = date(2026, 3, 22)
MONTH_END = date(2026, 1, 31)  # a Saturday
NEW_YEARS_EVE = date(2026, 12, 31)  # a Thursday


def test_fixed_todays_are_the_weekdays_the_tables_assume() -> None:
    assert [d.weekday() for d in (WEDNESDAY, MONDAY, SUNDAY, MONTH_END, NEW_YEARS_EVE)] == [
        2, 0, 6, 5, 3,
    ]  # fmt: skip


# --- relative days -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("idag", WEDNESDAY, date(2026, 3, 18)),
        ("i dag", WEDNESDAY, date(2026, 3, 18)),
        ("igår", WEDNESDAY, date(2026, 3, 17)),
        ("i går", WEDNESDAY, date(2026, 3, 17)),
        ("igar", WEDNESDAY, date(2026, 3, 17)),
        ("i gar", WEDNESDAY, date(2026, 3, 17)),
        ("i förrgår", WEDNESDAY, date(2026, 3, 16)),
        ("i forrgar", WEDNESDAY, date(2026, 3, 16)),
        ("imorgon", WEDNESDAY, date(2026, 3, 19)),
        ("i morgon", WEDNESDAY, date(2026, 3, 19)),
        ("i övermorgon", WEDNESDAY, date(2026, 3, 20)),
        ("i overmorgon", WEDNESDAY, date(2026, 3, 20)),
        ("igår", date(2026, 3, 1), date(2026, 2, 28)),
        ("i förrgår", date(2026, 1, 1), date(2025, 12, 30)),
        ("imorgon", NEW_YEARS_EVE, date(2027, 1, 1)),
        ("i övermorgon", NEW_YEARS_EVE, date(2027, 1, 2)),
    ],
)
def test_relative_days(text: str, today: date, expected: date) -> None:
    assert parse_swedish_date(text, today) == expected


@pytest.mark.parametrize(
    "text",
    ["IDAG", "Idag.", "  idag  ", "idag!", "I dag,", "i  dag", "Idag?", "\tidag\n"],
)
def test_case_whitespace_and_trailing_punctuation_are_tolerated(text: str) -> None:
    assert parse_swedish_date(text, WEDNESDAY) == WEDNESDAY


# --- weekdays ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # "i måndags": the most recent one strictly before today.
        ("i måndags", WEDNESDAY, date(2026, 3, 16)),
        ("i tisdags", WEDNESDAY, date(2026, 3, 17)),
        ("i onsdags", WEDNESDAY, date(2026, 3, 11)),
        ("i torsdags", WEDNESDAY, date(2026, 3, 12)),
        ("i fredags", WEDNESDAY, date(2026, 3, 13)),
        ("i lördags", WEDNESDAY, date(2026, 3, 14)),
        ("i söndags", WEDNESDAY, date(2026, 3, 15)),
        ("i måndags", MONDAY, date(2026, 3, 9)),
        ("i söndags", MONDAY, date(2026, 3, 15)),
        ("i söndags", SUNDAY, date(2026, 3, 15)),
        ("i lördags", SUNDAY, date(2026, 3, 21)),
        ("i fredags", date(2026, 1, 1), date(2025, 12, 26)),
        # "på måndag": the next one strictly after today.
        ("på måndag", WEDNESDAY, date(2026, 3, 23)),
        ("på torsdag", WEDNESDAY, date(2026, 3, 19)),
        ("på onsdag", WEDNESDAY, date(2026, 3, 25)),
        ("på måndag", MONDAY, date(2026, 3, 23)),
        ("på tisdag", MONDAY, date(2026, 3, 17)),
        ("på måndag", SUNDAY, date(2026, 3, 23)),
        ("på söndag", SUNDAY, date(2026, 3, 29)),
        ("på fredag", NEW_YEARS_EVE, date(2027, 1, 1)),
        # A bare weekday is the next one too.
        ("måndag", WEDNESDAY, date(2026, 3, 23)),
        ("fredag", WEDNESDAY, date(2026, 3, 20)),
        ("onsdag", WEDNESDAY, date(2026, 3, 25)),
        ("måndag", MONDAY, date(2026, 3, 23)),
        ("söndag", SUNDAY, date(2026, 3, 29)),
        ("lördag", MONTH_END, date(2026, 2, 7)),
        ("söndag", MONTH_END, date(2026, 2, 1)),
    ],
)
def test_weekdays(text: str, today: date, expected: date) -> None:
    assert parse_swedish_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mandag", date(2026, 3, 23)),
        ("Måndag", date(2026, 3, 23)),
        ("pa mandag", date(2026, 3, 23)),
        ("PÅ FREDAG", date(2026, 3, 20)),
        ("lordag", date(2026, 3, 21)),
        ("sondag", date(2026, 3, 22)),
        ("i mandags", date(2026, 3, 16)),
        ("i sondags", date(2026, 3, 15)),
        ("i lordags", date(2026, 3, 14)),
        ("fredag.", date(2026, 3, 20)),
    ],
)
def test_weekdays_without_swedish_letters_or_in_capitals(text: str, expected: date) -> None:
    assert parse_swedish_date(text, WEDNESDAY) == expected


# --- weeks and amounts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (WEDNESDAY, date(2026, 3, 23)),
        (MONDAY, date(2026, 3, 23)),
        (SUNDAY, date(2026, 3, 23)),
        (MONTH_END, date(2026, 2, 2)),
        (NEW_YEARS_EVE, date(2027, 1, 4)),
    ],
)
@pytest.mark.parametrize("text", ["nästa vecka", "nasta vecka", "Nästa vecka."])
def test_next_week_is_its_monday(text: str, today: date, expected: date) -> None:
    assert parse_swedish_date(text, today) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("om 3 dagar", WEDNESDAY, date(2026, 3, 21)),
        ("om tre dagar", WEDNESDAY, date(2026, 3, 21)),
        ("om en dag", WEDNESDAY, date(2026, 3, 19)),
        ("om 1 dag", WEDNESDAY, date(2026, 3, 19)),
        ("om 10 dagar", WEDNESDAY, date(2026, 3, 28)),
        ("om tio dagar", WEDNESDAY, date(2026, 3, 28)),
        ("om 2 veckor", WEDNESDAY, date(2026, 4, 1)),
        ("om två veckor", WEDNESDAY, date(2026, 4, 1)),
        ("om tva veckor", WEDNESDAY, date(2026, 4, 1)),
        ("om en vecka", WEDNESDAY, date(2026, 3, 25)),
        ("om fyra veckor", WEDNESDAY, date(2026, 4, 15)),
        ("om en månad", WEDNESDAY, date(2026, 4, 18)),
        ("om en manad", WEDNESDAY, date(2026, 4, 18)),
        ("om ett år", WEDNESDAY, date(2027, 3, 18)),
        ("om två månader", WEDNESDAY, date(2026, 5, 18)),
        ("om 2 månader", WEDNESDAY, date(2026, 5, 18)),
        ("om sex månader", WEDNESDAY, date(2026, 9, 18)),
        ("om åtta dagar", WEDNESDAY, date(2026, 3, 26)),
        ("om atta dagar", WEDNESDAY, date(2026, 3, 26)),
        ("om fem dagar", WEDNESDAY, date(2026, 3, 23)),
        ("om sju dagar", WEDNESDAY, date(2026, 3, 25)),
        ("om nio dagar", WEDNESDAY, date(2026, 3, 27)),
        ("Om 2 veckor.", WEDNESDAY, date(2026, 4, 1)),
        # Month arithmetic clamps to the last day of a shorter month.
        ("om en månad", MONTH_END, date(2026, 2, 28)),
        ("om två månader", MONTH_END, date(2026, 3, 31)),
        ("om tre månader", MONTH_END, date(2026, 4, 30)),
        ("om 13 månader", MONTH_END, date(2027, 2, 28)),
        ("om en månad", NEW_YEARS_EVE, date(2027, 1, 31)),
        ("om två månader", NEW_YEARS_EVE, date(2027, 2, 28)),
        ("om 3 dagar", NEW_YEARS_EVE, date(2027, 1, 3)),
        ("om en vecka", NEW_YEARS_EVE, date(2027, 1, 7)),
        # And back in time, for something that happened.
        ("för 3 dagar sedan", WEDNESDAY, date(2026, 3, 15)),
        ("för en vecka sen", WEDNESDAY, date(2026, 3, 11)),
        ("for en manad sedan", date(2026, 3, 31), date(2026, 2, 28)),
    ],
)
def test_amounts_from_today(text: str, today: date, expected: date) -> None:
    assert parse_swedish_date(text, today) == expected


# --- calendar dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "15/3",
        "15 mars",
        "15 Mars",
        "15 mar",
        "15 mar.",
        "15mars",
        "den 15 mars",
        "15:e mars",
        "15 mars 2026",
        "15 mar 2026",
        "2026-03-15",
        "2026-3-15",
        "20260315",
        "15.3.2026",
        "15.3.2026.",
        "15.3",
        "15/3 2026",
        "15/3-2026",
        "15/3/2026",
        "15/3-26",
        "den 15/3",
        " 15/3 ",
    ],
)
def test_the_fifteenth_of_march(text: str) -> None:
    assert parse_swedish_date(text, WEDNESDAY) == date(2026, 3, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/1", date(2026, 1, 1)),
        ("31/12", date(2026, 12, 31)),
        ("1:a april", date(2026, 4, 1)),
        ("2 feb", date(2026, 2, 2)),
        ("3 sept", date(2026, 9, 3)),
        ("3 sep", date(2026, 9, 3)),
        ("24 dec", date(2026, 12, 24)),
        ("7 jun", date(2026, 6, 7)),
        ("7 jul", date(2026, 7, 7)),
        ("7 maj", date(2026, 5, 7)),
        ("29 februari 2028", date(2028, 2, 29)),
        ("29/2 2028", date(2028, 2, 29)),
        ("2027-01-04", date(2027, 1, 4)),
        ("15 mars 2025", date(2025, 3, 15)),
    ],
)
def test_calendar_dates(text: str, expected: date) -> None:
    assert parse_swedish_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # A day and month without a year always land in the current year, even if far off.
        ("15/3", NEW_YEARS_EVE, date(2026, 3, 15)),
        ("2/1", NEW_YEARS_EVE, date(2026, 1, 2)),
        ("30 december", date(2027, 1, 2), date(2027, 12, 30)),
        ("31 jan", MONTH_END, date(2026, 1, 31)),
    ],
)
def test_day_and_month_without_year_use_the_current_year(
    text: str, today: date, expected: date
) -> None:
    assert parse_swedish_date(text, today) == expected


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected_words"),
    [
        ("31/2", ["31 februari 2026", "28 dagar"]),
        ("30 februari", ["30 februari 2026", "28 dagar"]),
        ("29/2", ["29 februari 2026", "28 dagar"]),
        ("31/4", ["31 april 2026", "30 dagar"]),
        ("2026-02-30", ["30 februari 2026"]),
        ("0/3", ["0 mars 2026"]),
        ("2026-13-01", ["Månad 13 finns inte"]),
        ("15/13", ["Månad 13 finns inte"]),
        ("20261301", ["Månad 13 finns inte"]),
        ("2026-00-10", ["Månad 0 finns inte"]),
    ],
)
def test_impossible_dates_are_explained(text: str, expected_words: list[str]) -> None:
    with pytest.raises(DateInputError) as error:
        parse_swedish_date(text, WEDNESDAY)
    message = str(error.value)
    assert "finns inte" in message
    for words in expected_words:
        assert words in message


@pytest.mark.parametrize(
    "text",
    [
        "blaha",
        "snart",
        "någon gång",
        "15",
        "15 ma",
        "15 smurf",
        "15 marsipan",
        "på mandags",
        "om dagar",
        "om 2",
        "om elva dagar",
        "32/1/2026/1",
        "2026-03",
        "igårkväll",
    ],
)
def test_gibberish_gets_examples(text: str) -> None:
    with pytest.raises(DateInputError) as error:
        parse_swedish_date(text, WEDNESDAY)
    message = str(error.value)
    assert f"”{text}”" in message
    assert "till exempel" in message
    assert "igår" in message and "15/3" in message and "2026-03-15" in message


@pytest.mark.parametrize("text", ["", "   ", "."])
def test_empty_input_asks_for_a_date(text: str) -> None:
    with pytest.raises(DateInputError, match="Skriv ett datum, till exempel"):
        parse_swedish_date(text, WEDNESDAY)


def test_a_long_text_is_shortened_in_the_message() -> None:
    text = "Vi ses någon gång efter lovet när alla har kommit tillbaka från resan"
    with pytest.raises(DateInputError) as error:
        parse_swedish_date(text, WEDNESDAY)
    assert text not in str(error.value)
    assert "Vi ses någon gång" in str(error.value)


def test_unreasonable_years_are_refused() -> None:
    with pytest.raises(DateInputError, match="Året 3026"):
        parse_swedish_date("3026-03-15", WEDNESDAY)


def test_date_input_error_is_a_value_error() -> None:
    assert issubclass(DateInputError, ValueError)


# --- past and future ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("idag", WEDNESDAY),
        ("igår", date(2026, 3, 17)),
        ("i måndags", date(2026, 3, 16)),
        ("15/3", date(2026, 3, 15)),
        ("18/3", WEDNESDAY),
        ("2025-12-01", date(2025, 12, 1)),
        ("för 2 veckor sedan", date(2026, 3, 4)),
    ],
)
def test_past_date_accepts_today_and_earlier(text: str, expected: date) -> None:
    assert parse_past_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    "text", ["imorgon", "på fredag", "nästa vecka", "om 2 veckor", "2027-01-01"]
)
def test_past_date_refuses_the_future(text: str) -> None:
    expected = format_date(parse_swedish_date(text, WEDNESDAY))
    with pytest.raises(DateInputError) as error:
        parse_past_date(text, WEDNESDAY)
    message = str(error.value)
    assert f"Datumet {expected} har inte varit än" in message
    assert "i måndags" in message
    assert "Menar du" not in message


def test_past_date_suggests_last_year_for_a_day_and_month_without_year() -> None:
    with pytest.raises(DateInputError) as error:
        parse_past_date("15/12", WEDNESDAY)
    message = str(error.value)
    assert "Datumet 2026-12-15 har inte varit än" in message
    assert "Menar du 2025-12-15?" in message
    assert "15/12 2025" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("idag", WEDNESDAY),
        ("imorgon", date(2026, 3, 19)),
        ("på måndag", date(2026, 3, 23)),
        ("om en månad", date(2026, 4, 18)),
        ("18/3", WEDNESDAY),
        ("24 dec", date(2026, 12, 24)),
    ],
)
def test_future_date_accepts_today_and_later(text: str, expected: date) -> None:
    assert parse_future_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(
    "text", ["igår", "i förrgår", "i måndags", "för 3 dagar sedan", "2025-03-18"]
)
def test_future_date_refuses_the_past(text: str) -> None:
    expected = format_date(parse_swedish_date(text, WEDNESDAY))
    with pytest.raises(DateInputError) as error:
        parse_future_date(text, WEDNESDAY)
    message = str(error.value)
    assert f"Datumet {expected} har redan varit" in message
    assert "imorgon" in message
    assert "Menar du" not in message


def test_future_date_suggests_next_year_for_a_day_and_month_without_year() -> None:
    with pytest.raises(DateInputError) as error:
        parse_future_date("2/1", NEW_YEARS_EVE)
    message = str(error.value)
    assert "Datumet 2026-01-02 har redan varit" in message
    assert "Menar du 2027-01-02?" in message
    assert "2/1 2027" in message


def test_suggested_year_clamps_a_leap_day() -> None:
    with pytest.raises(DateInputError, match="Menar du 2029-02-28"):
        parse_future_date("29/2", date(2028, 3, 1))


@pytest.mark.parametrize("parse", [parse_past_date, parse_future_date])
def test_past_and_future_pass_on_parse_errors(parse: Callable[[str, date], date]) -> None:
    with pytest.raises(DateInputError, match="31 februari"):
        parse("31/2", WEDNESDAY)


# --- formatting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso", "day_month"),
    [
        (date(2026, 3, 15), "2026-03-15", "15 mars"),
        (date(2026, 1, 1), "2026-01-01", "1 januari"),
        (date(2027, 12, 31), "2027-12-31", "31 december"),
        (date(2026, 8, 5), "2026-08-05", "5 augusti"),
    ],
)
def test_formatting(value: date, iso: str, day_month: str) -> None:
    assert format_date(value) == iso
    assert format_day_month(value) == day_month


@pytest.mark.parametrize(
    "value", [date(2026, 3, 15), date(2026, 1, 1), date(2027, 12, 31), date(2028, 2, 29)]
)
def test_formatted_dates_parse_back(value: date) -> None:
    assert parse_swedish_date(format_date(value), WEDNESDAY) == value
    assert parse_swedish_date(f"{format_day_month(value)} {value.year}", WEDNESDAY) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-15", date(2026, 3, 15)),
        ("20260315", date(2026, 3, 15)),
        ("15/3/2026", date(2026, 3, 15)),
        ("15.03.2026", date(2026, 3, 15)),
        ("15/3", None),
        ("15 mars", None),
        ("igår", None),
        ("3/15/26", None),
    ],
)
def test_unambiguous_dates_are_the_only_ones_storage_reads(text: str, expected: date) -> None:
    assert unambiguous_date(text) == expected


def test_an_unambiguous_date_that_does_not_exist_says_why() -> None:
    with pytest.raises(DateInputError, match="februari 2026 har 28 dagar"):
        unambiguous_date("2026-02-30")
