"""Acceptance tests for storage.personnummer. All numbers are fictitious, built by `pnr`."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from storage.personnummer import (
    Personnummer,
    PersonnummerError,
    format_personnummer,
    parse_personnummer,
)

TODAY = date(2026, 3, 15)
FORMAT_EXAMPLE = "ÅÅÅÅMMDD-NNNN"


def luhn_digit(nine_digits: str) -> str:
    """Check digit over YYMMDDNNN, written out here so the tests do not trust stdnum."""
    total = 0
    for position, char in enumerate(nine_digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value // 10 + value % 10
    return str((10 - total % 10) % 10)


def pnr(date_part: str, sep: str = "", serial: str = "123") -> str:
    """A number with a correct check digit; date_part is YYMMDD or YYYYMMDD."""
    return f"{date_part}{sep}{serial}{luhn_digit(date_part[-6:] + serial)}"


def tail(number: str) -> str:
    return number[-4:]


def test_helper_matches_the_published_example() -> None:
    # 811218-9876 is the textbook example of a personnummer with a correct check digit.
    assert luhn_digit("811218987") == "6"


# --- accepted forms ----------------------------------------------------------------------------

ACCEPTED_FORMS = [
    pytest.param(pnr("20080314"), date(2008, 3, 14), "200803141234", id="12-digits"),
    pytest.param(pnr("20080314", "-"), date(2008, 3, 14), "200803141234", id="12-digits-dash"),
    pytest.param(pnr("080314"), date(2008, 3, 14), "200803141234", id="10-digits"),
    pytest.param(pnr("080314", "-"), date(2008, 3, 14), "200803141234", id="10-digits-dash"),
    pytest.param(
        f"  {pnr('080314', '-')}\n", date(2008, 3, 14), "200803141234", id="outer-whitespace"
    ),
    pytest.param(
        "\t2008 03 14 - " + tail(pnr("080314")) + " ",
        date(2008, 3, 14),
        "200803141234",
        id="inner-whitespace",
    ),
    pytest.param(
        "080314\u2013" + tail(pnr("080314")), date(2008, 3, 14), "200803141234", id="en-dash"
    ),
    pytest.param(pnr("260315", "+"), date(1926, 3, 15), "192603151234", id="plus-100-years"),
]


@pytest.mark.parametrize(("text", "birth_date", "twelve_without_check"), ACCEPTED_FORMS)
def test_accepted_forms(text: str, birth_date: date, twelve_without_check: str) -> None:
    result = parse_personnummer(text, TODAY)

    assert isinstance(result, Personnummer)
    assert result.birth_date == birth_date
    assert result.digits[:11] == twelve_without_check[:11]
    assert len(result.digits) == 12
    assert result.digits.isdigit()
    assert result.is_samordningsnummer is False


def test_all_forms_of_one_number_give_the_same_result() -> None:
    forms = [pnr("20080314"), pnr("20080314", "-"), pnr("080314"), pnr("080314", "-")]

    results = {parse_personnummer(text, TODAY) for text in forms}

    assert len(results) == 1


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        (pnr("080314"), "20080314-" + tail(pnr("080314"))),
        (pnr("20080314", "-"), "20080314-" + tail(pnr("080314"))),
        (pnr("260315", "+"), "19260315-" + tail(pnr("260315"))),
        (pnr("080374", "-"), "20080374-" + tail(pnr("080374"))),
    ],
)
def test_formatted(text: str, formatted: str) -> None:
    parsed = parse_personnummer(text, TODAY)
    assert parsed.formatted == format_personnummer(parsed.digits) == formatted


# --- samordningsnummer -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_part", "birth_date"),
    [
        ("20080374", date(2008, 3, 14)),
        ("080374", date(2008, 3, 14)),
        ("20080161", date(2008, 1, 1)),
        ("20080191", date(2008, 1, 31)),
        ("20080289", date(2008, 2, 29)),
        ("20081291", date(2008, 12, 31)),
        ("20080490", date(2008, 4, 30)),
    ],
)
def test_samordningsnummer_keeps_day_plus_60_but_gives_real_birth_date(
    date_part: str, birth_date: date
) -> None:
    result = parse_personnummer(pnr(date_part, "-"), TODAY)

    assert result.is_samordningsnummer is True
    assert result.birth_date == birth_date
    assert result.digits[6:8] == date_part[-2:]


# --- century inference -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "date_part", "sep", "birth_date"),
    [
        pytest.param(TODAY, "260315", "-", date(2026, 3, 15), id="born-today"),
        pytest.param(TODAY, "260315", "", date(2026, 3, 15), id="born-today-no-separator"),
        pytest.param(TODAY, "260314", "-", date(2026, 3, 14), id="born-yesterday"),
        pytest.param(TODAY, "260316", "-", date(1926, 3, 16), id="tomorrow-would-be-future"),
        pytest.param(TODAY, "260316", "", date(1926, 3, 16), id="future-no-separator"),
        pytest.param(TODAY, "301224", "-", date(1930, 12, 24), id="later-this-century"),
        pytest.param(TODAY, "991231", "-", date(1999, 12, 31), id="last-century"),
        pytest.param(TODAY, "000101", "-", date(2000, 1, 1), id="year-2000"),
        pytest.param(TODAY, "260315", "+", date(1926, 3, 15), id="turns-100-today"),
        pytest.param(TODAY, "260314", "+", date(1926, 3, 14), id="turned-100-yesterday"),
        pytest.param(TODAY, "260316", "+", date(1826, 3, 16), id="plus-99-goes-back-again"),
        pytest.param(TODAY, "991231", "+", date(1899, 12, 31), id="plus-last-century"),
        pytest.param(TODAY, "000229", "-", date(2000, 2, 29), id="leap-day-2000"),
        pytest.param(date(2001, 1, 1), "991231", "-", date(1999, 12, 31), id="new-century"),
        pytest.param(date(2001, 1, 1), "010101", "-", date(2001, 1, 1), id="new-century-today"),
        pytest.param(date(2001, 1, 1), "010102", "-", date(1901, 1, 2), id="new-century-future"),
    ],
)
def test_century_inference(today: date, date_part: str, sep: str, birth_date: date) -> None:
    result = parse_personnummer(pnr(date_part, sep), today)

    assert result.birth_date == birth_date
    assert result.digits[:8] == birth_date.strftime("%Y%m%d")
    if sep == "+":
        assert result.age_on(today) >= 100
    else:
        assert 0 <= result.age_on(today) < 100


def test_turning_100_today_is_100_with_plus_and_the_day_after_is_99_with_dash() -> None:
    assert parse_personnummer(pnr("260315", "+"), TODAY).age_on(TODAY) == 100
    assert parse_personnummer(pnr("260316", "-"), TODAY).age_on(TODAY) == 99


# --- impossible dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param(pnr("20070230"), "februari 2007 har bara 28 dagar", id="30-feb"),
        pytest.param(pnr("20070229"), "februari 2007 har bara 28 dagar", id="29-feb-non-leap"),
        pytest.param(pnr("19000229"), "februari 1900 har bara 28 dagar", id="29-feb-1900"),
        pytest.param(pnr("000229", "+"), "1900-02-29 finns inte", id="29-feb-1900-plus"),
        pytest.param(pnr("20230431"), "april 2023 har bara 30 dagar", id="31-april"),
        pytest.param(pnr("20081301"), "Månaden 13 finns inte", id="month-13"),
        pytest.param(pnr("20080001"), "Månaden 00 finns inte", id="month-00"),
        pytest.param(pnr("080001", "-"), "Månaden 00 finns inte", id="month-00-short"),
        pytest.param(pnr("20080100"), "Dagen 00 finns inte", id="day-00"),
        pytest.param(pnr("20080132"), "Dagen 32 finns inte", id="day-32"),
        pytest.param(pnr("20080160"), "Dagen 60 finns inte", id="day-60"),
        pytest.param(pnr("20080192"), "Dagen 92 finns inte", id="samordning-day-92"),
        pytest.param(pnr("20080199"), "Dagen 99 finns inte", id="samordning-day-99"),
        pytest.param(pnr("20070290"), "födelsedatumet 2007-02-30", id="samordning-30-feb"),
        pytest.param(pnr("20070289"), "februari 2007 har bara 28 dagar", id="samordning-29-feb"),
        pytest.param(pnr("20080491"), "april 2008 har bara 30 dagar", id="samordning-31-april"),
    ],
)
def test_impossible_dates_are_rejected(text: str, fragment: str) -> None:
    with pytest.raises(PersonnummerError) as caught:
        parse_personnummer(text, TODAY)

    message = str(caught.value)
    assert fragment in message
    assert FORMAT_EXAMPLE in message


@pytest.mark.parametrize(
    ("date_part", "birth_date"),
    [
        ("20080229", date(2008, 2, 29)),
        ("20000229", date(2000, 2, 29)),
        ("20080131", date(2008, 1, 31)),
        ("20081231", date(2008, 12, 31)),
        ("20080430", date(2008, 4, 30)),
        ("080229", date(2008, 2, 29)),
    ],
)
def test_edge_dates_that_exist_are_accepted(date_part: str, birth_date: date) -> None:
    assert parse_personnummer(pnr(date_part), TODAY).birth_date == birth_date


# --- future birth date -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [pnr("20260316"), pnr("20300101", "-"), pnr("20260376", "-"), pnr("21000101")],
)
def test_future_birth_date_is_rejected(text: str) -> None:
    with pytest.raises(PersonnummerError) as caught:
        parse_personnummer(text, TODAY)

    message = str(caught.value)
    assert "har inte varit än" in message
    assert FORMAT_EXAMPLE in message


def test_born_today_is_not_future() -> None:
    assert parse_personnummer(pnr("20260315"), TODAY).birth_date == TODAY


# --- checksum ----------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", range(1, 10))
@pytest.mark.parametrize(
    "valid",
    [pnr("20080314"), pnr("080314", "-"), pnr("080374", "-"), pnr("260315", "+")],
)
def test_every_wrong_check_digit_is_rejected(valid: str, offset: int) -> None:
    wrong = valid[:-1] + str((int(valid[-1]) + offset) % 10)

    with pytest.raises(PersonnummerError) as caught:
        parse_personnummer(wrong, TODAY)

    message = str(caught.value)
    assert message.startswith("Kontrollsiffran stämmer inte")
    assert FORMAT_EXAMPLE in message


def test_swapped_serial_digits_fail_the_checksum() -> None:
    valid = pnr("080314", serial="123")
    swapped = valid[:6] + "213" + valid[-1]

    with pytest.raises(PersonnummerError, match="Kontrollsiffran"):
        parse_personnummer(swapped, TODAY)


def test_checksum_runs_over_ten_digits_not_the_century() -> None:
    # Same YYMMDDNNNN, other century: still a valid check digit.
    ten = pnr("080314")
    assert parse_personnummer("19" + ten, TODAY).birth_date == date(1908, 3, 14)


# --- malformed input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("", "saknas", id="empty"),
        pytest.param("   \t\n", "saknas", id="only-whitespace"),
        pytest.param("-", "10 eller 12 siffror, men har 0", id="only-dash"),
        pytest.param("080314123", "10 eller 12 siffror, men har 9", id="9-digits"),
        pytest.param("08031412345", "10 eller 12 siffror, men har 11", id="11-digits"),
        pytest.param("2008031412345", "10 eller 12 siffror, men har 13", id="13-digits"),
        pytest.param("0803141234x", "bara innehålla siffror", id="letter"),
        pytest.param("ÅÅMMDD-NNNN", "bara innehålla siffror", id="template"),
        pytest.param("080314/1234", "bara innehålla siffror", id="slash"),
        pytest.param("080314.1234", "bara innehålla siffror", id="dot"),
        pytest.param(
            "\u0660\u0668\u0660\u0663\u0661\u0664\u0661\u0662\u0663\u0664",
            "bara innehålla siffror",
            id="non-ascii-digits",
        ),
        pytest.param("0803-141234", "före de fyra sista siffrorna", id="dash-misplaced"),
        pytest.param("0803141234-", "före de fyra sista siffrorna", id="dash-at-end"),
        pytest.param("080314--1234", "före de fyra sista siffrorna", id="two-dashes"),
        pytest.param("2008-0314-1234", "före de fyra sista siffrorna", id="iso-style"),
        pytest.param("080314-+1234", "före de fyra sista siffrorna", id="dash-and-plus"),
        pytest.param("20080314+1234", "bara i den korta formen", id="plus-with-12-digits"),
    ],
)
def test_malformed_input_is_rejected(text: str, fragment: str) -> None:
    with pytest.raises(PersonnummerError) as caught:
        parse_personnummer(text, TODAY)

    message = str(caught.value)
    assert fragment in message
    assert FORMAT_EXAMPLE in message


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_personnummer("nonsense", TODAY)


@pytest.mark.parametrize(
    "text",
    [
        pnr("20070230"),
        pnr("20260316"),
        pnr("080314")[:-1] + str((int(pnr("080314")[-1]) + 1) % 10),
        pnr("20080192"),
    ],
)
def test_error_messages_do_not_repeat_the_number(text: str) -> None:
    with pytest.raises(PersonnummerError) as caught:
        parse_personnummer(text, TODAY)

    assert text[-4:] not in str(caught.value)


# --- gender, age and privacy -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gender_digit", "gender"),
    [(str(digit), "man" if digit % 2 else "kvinna") for digit in range(10)],
)
@pytest.mark.parametrize("date_part", ["080314", "080374"])
def test_legal_gender_from_second_to_last_digit(
    date_part: str, gender_digit: str, gender: str
) -> None:
    result = parse_personnummer(pnr(date_part, "-", serial="12" + gender_digit), TODAY)

    assert result.gender == gender


@pytest.mark.parametrize(
    ("date_part", "day", "age"),
    [
        ("20080314", date(2026, 3, 13), 17),
        ("20080314", date(2026, 3, 14), 18),
        ("20080314", date(2026, 3, 15), 18),
        ("20080314", date(2008, 3, 14), 0),
        ("20080314", date(2027, 3, 13), 18),
        ("20080314", date(2028, 3, 14), 20),
        ("20080229", date(2026, 2, 28), 17),
        ("20080229", date(2026, 3, 1), 18),
        ("20080229", date(2028, 2, 28), 19),
        ("20080229", date(2028, 2, 29), 20),
        ("20080374", date(2026, 3, 13), 17),
        ("20080374", date(2026, 3, 14), 18),
    ],
)
def test_age_on(date_part: str, day: date, age: int) -> None:
    assert parse_personnummer(pnr(date_part), TODAY).age_on(day) == age


def test_repr_does_not_reveal_the_number() -> None:
    text = pnr("20080314")
    result = parse_personnummer(text, TODAY)

    assert text not in repr(result)
    assert text[:8] not in repr(result)
    assert "2008" not in repr(result)


def test_personnummer_is_immutable() -> None:
    result = parse_personnummer(pnr("20080314"), TODAY)

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.digits = "200001011234"  # type: ignore[misc]
