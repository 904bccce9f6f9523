"""Acceptance tests for storage.eligibility (Skollagen 29 kap. 9 §)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from storage.eligibility import (
    EligibilityFacts,
    check_eligibility,
    compulsory_school_age_ends,
    turns_20_on,
)

TODAY = date(2026, 3, 15)

# A 17-year-old who has left grundskola and is doing nothing: the typical KAA youth.
BASE = EligibilityFacts(
    birth_date=date(2008, 5, 10),
    completed_compulsory_school=True,
    in_upper_secondary=False,
    on_introduction_programme=False,
    has_gymnasieexamen=False,
    has_gymnasiesarskolebevis=False,
    completed_equivalent_education=False,
)

REASON_FLAGS = [
    pytest.param("in_upper_secondary", "gymnasieskola, gymnasiesärskola", id="upper-secondary"),
    pytest.param("on_introduction_programme", "introduktionsprogram", id="introduction"),
    pytest.param("has_gymnasieexamen", "har gymnasieexamen", id="gymnasieexamen"),
    pytest.param("has_gymnasiesarskolebevis", "har gymnasiesärskolebevis", id="sarskolebevis"),
    pytest.param("completed_equivalent_education", "motsvarande utbildning", id="equivalent"),
]


def test_typical_youth_is_eligible_without_reasons_or_notes() -> None:
    result = check_eligibility(BASE, TODAY)

    assert result.eligible is True
    assert result.reasons == ()
    assert result.notes == ()


@pytest.mark.parametrize(("flag", "fragment"), REASON_FLAGS)
def test_each_education_fact_alone_excludes(flag: str, fragment: str) -> None:
    result = check_eligibility(replace(BASE, **{flag: True}), TODAY)

    assert result.eligible is False
    assert len(result.reasons) == 1
    assert fragment in result.reasons[0]


def test_introduction_programme_reason_names_the_2018_rule() -> None:
    result = check_eligibility(replace(BASE, on_introduction_programme=True), TODAY)

    assert "1 juli 2018" in result.reasons[0]


def test_turned_20_alone_excludes() -> None:
    result = check_eligibility(replace(BASE, birth_date=date(2005, 1, 10)), TODAY)

    assert result.eligible is False
    assert len(result.reasons) == 1
    assert "har fyllt 20 år" in result.reasons[0]
    assert "2025-01-10" in result.reasons[0]


def test_compulsory_school_alone_excludes() -> None:
    facts = replace(BASE, birth_date=date(2010, 9, 1), completed_compulsory_school=False)

    result = check_eligibility(facts, TODAY)

    assert result.eligible is False
    assert len(result.reasons) == 1
    assert "grundskolan" in result.reasons[0]
    assert "2026-06-30" in result.reasons[0]


def test_every_reason_is_collected_not_only_the_first() -> None:
    facts = replace(
        BASE,
        birth_date=date(2000, 1, 1),
        in_upper_secondary=True,
        on_introduction_programme=True,
        has_gymnasieexamen=True,
        has_gymnasiesarskolebevis=True,
        completed_equivalent_education=True,
    )

    result = check_eligibility(facts, TODAY)

    assert result.eligible is False
    assert len(result.reasons) == 6
    joined = " ".join(result.reasons)
    for fragment in (
        "har fyllt 20 år",
        "gymnasieskola",
        "introduktionsprogram",
        "gymnasieexamen",
        "gymnasiesärskolebevis",
        "motsvarande utbildning",
    ):
        assert fragment in joined


def test_two_reasons_at_once() -> None:
    facts = replace(
        BASE,
        birth_date=date(2011, 1, 1),
        completed_compulsory_school=False,
        in_upper_secondary=True,
    )

    result = check_eligibility(facts, TODAY)

    assert result.eligible is False
    assert len(result.reasons) == 2


def test_reasons_are_distinct_sentences() -> None:
    flags = (
        "in_upper_secondary",
        "on_introduction_programme",
        "has_gymnasieexamen",
        "has_gymnasiesarskolebevis",
        "completed_equivalent_education",
    )
    facts = replace(BASE, **dict.fromkeys(flags, True))

    reasons = check_eligibility(facts, TODAY).reasons

    assert len(set(reasons)) == len(reasons) == len(flags)


# --- turning 20 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "today", "eligible"),
    [
        pytest.param(date(2006, 3, 15), TODAY, False, id="turns-20-today"),
        pytest.param(date(2006, 3, 16), TODAY, True, id="turns-20-tomorrow"),
        pytest.param(date(2006, 3, 14), TODAY, False, id="turned-20-yesterday"),
        pytest.param(date(2004, 2, 29), date(2024, 2, 28), True, id="leap-birth-day-before"),
        pytest.param(date(2004, 2, 29), date(2024, 2, 29), False, id="leap-birth-leap-20th"),
        pytest.param(date(2080, 2, 29), date(2100, 2, 28), True, id="leap-birth-2100-feb-28"),
        pytest.param(date(2080, 2, 29), date(2100, 3, 1), False, id="leap-birth-2100-mar-1"),
    ],
)
def test_twentieth_birthday_boundary(birth_date: date, today: date, eligible: bool) -> None:
    result = check_eligibility(replace(BASE, birth_date=birth_date), today)

    assert result.eligible is eligible
    assert any("har fyllt 20 år" in reason for reason in result.reasons) is not eligible


@pytest.mark.parametrize(
    ("birth_date", "twentieth"),
    [
        (date(2006, 3, 15), date(2026, 3, 15)),
        (date(2005, 12, 31), date(2025, 12, 31)),
        (date(2004, 2, 29), date(2024, 2, 29)),
        (date(2080, 2, 29), date(2100, 3, 1)),
        (date(1880, 2, 29), date(1900, 3, 1)),
    ],
)
def test_turns_20_on(birth_date: date, twentieth: date) -> None:
    assert turns_20_on(birth_date) == twentieth


@pytest.mark.parametrize(
    ("days_left", "has_note"),
    [(1, True), (29, True), (30, True), (31, False), (365, False)],
)
def test_note_when_turning_20_within_30_days(days_left: int, has_note: bool) -> None:
    twentieth = TODAY + timedelta(days=days_left)
    birth_date = twentieth.replace(year=twentieth.year - 20)

    result = check_eligibility(replace(BASE, birth_date=birth_date), TODAY)

    assert result.eligible is True
    turning_notes = [note for note in result.notes if "fyller 20 år" in note]
    assert bool(turning_notes) is has_note
    if has_note:
        assert twentieth.isoformat() in turning_notes[0]


def test_no_turning_20_note_once_already_excluded() -> None:
    facts = replace(BASE, birth_date=date(2006, 4, 1), has_gymnasieexamen=True)

    result = check_eligibility(facts, TODAY)

    assert result.eligible is False
    assert result.notes == ()


# --- compulsory school age ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "birth_date",
    [date(2010, 1, 1), date(2010, 8, 1), date(2010, 12, 31)],
)
def test_compulsory_school_age_ends_30_june_of_year_turning_16(birth_date: date) -> None:
    assert compulsory_school_age_ends(birth_date) == date(2026, 6, 30)


@pytest.mark.parametrize(
    ("today", "completed", "eligible"),
    [
        pytest.param(date(2026, 6, 29), False, False, id="not-completed-still-school-age"),
        pytest.param(date(2026, 6, 30), False, False, id="not-completed-last-day"),
        pytest.param(date(2026, 7, 1), False, True, id="not-completed-school-age-over"),
        pytest.param(date(2026, 6, 30), True, True, id="completed-last-day"),
        pytest.param(date(2026, 6, 10), True, True, id="completed-before-term-end"),
    ],
)
def test_compulsory_school_boundary(today: date, completed: bool, eligible: bool) -> None:
    facts = replace(BASE, birth_date=date(2010, 8, 1), completed_compulsory_school=completed)

    result = check_eligibility(facts, today)

    assert result.eligible is eligible
    assert len(result.reasons) == (0 if eligible else 1)


# --- part-time komvux --------------------------------------------------------------------------


def test_part_time_komvux_keeps_the_youth_and_adds_a_note() -> None:
    result = check_eligibility(replace(BASE, in_part_time_komvux=True), TODAY)

    assert result.eligible is True
    assert result.reasons == ()
    assert len(result.notes) == 1
    assert "komvux" in result.notes[0].lower()


def test_part_time_komvux_never_adds_a_reason() -> None:
    facts = replace(BASE, has_gymnasieexamen=True)

    without = check_eligibility(facts, TODAY)
    with_komvux = check_eligibility(replace(facts, in_part_time_komvux=True), TODAY)

    assert with_komvux.reasons == without.reasons
    assert with_komvux.eligible is False
    assert any("komvux" in note.lower() for note in with_komvux.notes)


def test_komvux_and_turning_20_notes_together() -> None:
    facts = replace(BASE, birth_date=date(2006, 4, 1), in_part_time_komvux=True)

    result = check_eligibility(facts, TODAY)

    assert result.eligible is True
    assert len(result.notes) == 2
