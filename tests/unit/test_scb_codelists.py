"""SCB code lists are data: a new list changes the file without a code change."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from importlib import resources

import pytest

from storage.reports.scb import ScbCase, build_row
from storage.scb.codelists import load_code_lists
from storage.scb.periods import PeriodFileError, ReportingPeriod

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


def test_every_bundled_period_has_code_lists():
    for code in ("2025H2", "2026H1", "2026H2"):
        assert load_code_lists(code).columns[0] == "kommunkod"


def test_a_changed_code_list_changes_the_file(tmp_path):
    text = bundled_text().replace('inflyttad = "5"', 'inflyttad = "51"', 1)
    (tmp_path / "2026H1.toml").write_text(text, encoding="utf-8")
    values, _problems = build_row(CASE, "0580", PERIOD, load_code_lists("2026H1", tmp_path))
    assert values["registreringsorsak"] == "51"


def test_a_code_missing_from_the_list_is_reported_not_blank(tmp_path):
    text = bundled_text().replace('inflyttad = "5"\n', "", 1)
    (tmp_path / "2026H1.toml").write_text(text, encoding="utf-8")
    values, problems = build_row(CASE, "0580", PERIOD, load_code_lists("2026H1", tmp_path))
    assert values["registreringsorsak"] == ""
    assert "registreringsorsak (inflyttad) har ingen SCB-kod för 2026H1" in problems


def test_a_broken_code_list_is_refused_in_swedish(tmp_path):
    (tmp_path / "2026H1.toml").write_text('[period]\ncode = "2026H1"\n', encoding="utf-8")
    with pytest.raises(PeriodFileError, match="saknar tabellen"):
        load_code_lists("2026H1", tmp_path)
    with pytest.raises(PeriodFileError, match="ingen SCB-periodfil"):
        load_code_lists("2030H1", tmp_path)


def test_an_anonymised_youth_is_reported_as_a_problem():
    anonymised = replace(CASE, personnummer="#17")
    _values, problems = build_row(anonymised, "0580", PERIOD, load_code_lists("2026H1"))
    assert any("gallrade" in problem for problem in problems)
    _values, problems = build_row(CASE, "0580", PERIOD, load_code_lists("2026H1"))
    assert not any("gallrade" in problem for problem in problems)
