"""SCB code lists are data, validated before they are used: a new list changes the file
without a code change, a broken one is refused in Swedish."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from storage.reports.scb import ScbCase, build_row
from storage.scb.codelists import (
    KNOWN_COLUMNS,
    CodeListError,
    bundled_code_lists,
    parse_code_list,
)
from storage.scb.periods import ReportingPeriod

PERIOD = ReportingPeriod("2026H1", date(2026, 1, 1), date(2026, 6, 30), date(2026, 9, 14))
CASE = ScbCase(
    case_id=1,
    municipality_id=1,
    youth_name="Test Testsson",
    personnummer="200801200361",
    gender="kvinna",
    birth_date=date(2008, 1, 20),
    registered_on=date(2026, 3, 1),
    registration_reason="inflyttad",
    deregistered_on=None,
    deregistration_reason=None,
    latest_contact_on=None,
)


def bundled_text() -> str:
    return (resources.files("storage.scb") / "2026H1.toml").read_text(encoding="utf-8")


def test_the_bundled_lists_are_valid_complete_and_named_for_their_half_year():
    lists = bundled_code_lists()
    assert [(each.name, each.valid_from) for each in lists] == [
        ("2025H2", "2025H2"),
        ("2026H1", "2026H1"),
        ("2026H2", "2026H2"),
    ]
    for code_lists in lists:
        assert code_lists.columns == KNOWN_COLUMNS
        assert code_lists.missing() == []


def test_the_export_fills_exactly_the_known_columns():
    values, _problems = build_row(CASE, "0580", PERIOD, bundled_code_lists()[1])
    assert tuple(values) == KNOWN_COLUMNS


def test_a_changed_code_list_changes_the_file():
    lists = parse_code_list(bundled_text().replace('inflyttad = "5"', 'inflyttad = "51"', 1), "x")
    values, _problems = build_row(CASE, "0580", PERIOD, lists)
    assert values["registreringsorsak"] == "51"


def test_a_code_missing_from_the_list_is_reported_not_blank():
    lists = parse_code_list(bundled_text().replace('inflyttad = "5"\n', "", 1), "x")
    values, problems = build_row(CASE, "0580", PERIOD, lists)
    assert lists.missing() == ["registreringsorsak.inflyttad"]
    assert values["registreringsorsak"] == ""
    assert "registreringsorsak (inflyttad) har ingen SCB-kod för 2026H1" in problems


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("[kon]", "[gender]"), "kon saknas"),
        (('namn = "2026H1"', 'namn = "ny lista"'), "kodlista.namn får bara ha"),
        (('giltig_fran = "2026H1"', 'giltig_fran = "2026"'), "2026 är inget halvår"),
        (('separator = ";"', 'separator = ";;"'), "file.separator är för lång"),
        (('    "kontakt",\n', '    "kontakt",\n    "telefon",\n'), "känner till: telefon"),
        (('inflyttad = "5"', 'inflytad = "5"'), "[registreringsorsak] har koder som inte finns"),
        (('man = "1"\n', ""), "[kon] saknar man"),
        (('inflyttad = "5"', 'inflyttad = "fem!"'), "inte är 1–4 tecken: inflyttad"),
        (('inflyttad = "5"', "inflyttad = 5"), "registreringsorsak.inflyttad ska vara text"),
        (("[file]", "[file\n"), "går inte att läsa som TOML"),
    ],
)
def test_a_broken_code_list_is_refused_in_swedish(change, message):
    old, new = change
    with pytest.raises(CodeListError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_code_list(bundled_text().replace(old, new, 1), "ny.toml")


def test_an_anonymised_youth_is_reported_as_a_problem():
    lists = bundled_code_lists()[1]
    anonymised = CASE._replace(personnummer="#17")
    _values, problems = build_row(anonymised, "0580", PERIOD, lists)
    assert any("gallrade" in problem for problem in problems)
    _values, problems = build_row(CASE, "0580", PERIOD, lists)
    assert not any("gallrade" in problem for problem in problems)
