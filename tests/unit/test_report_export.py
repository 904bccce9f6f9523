"""XLSX and CSV exports: formulas are neutralised, Excel-friendly encoding, periods parse."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from storage.reports.export import Table, neutralise, to_csv, to_xlsx
from storage.reports.period import PeriodError, parse_period

DANGEROUS = ["=1+1", "+46 70", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")', "\tTAB"]
TABLE = Table(
    title="=Titel",
    subtitle="Kommun 0580",
    headers=("Namn", "Värde"),
    rows=[(text, -3) for text in DANGEROUS] + [("Vanlig text", 7), ("skola", None)],
)


@pytest.mark.parametrize("text", DANGEROUS)
def test_neutralise_prefixes_formula_starts(text):
    assert neutralise(text) == "'" + text


def test_neutralise_keeps_numbers_and_plain_text():
    assert neutralise(-3) == -3
    assert neutralise("Vanlig text") == "Vanlig text"
    assert neutralise(None) is None


def test_csv_is_semicolon_separated_utf8_with_bom_and_neutralised():
    raw = to_csv(TABLE)
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Namn;Värde"
    assert lines[1] == "'=1+1;-3"
    assert lines[4] == "'@SUM(A1);-3"
    assert not any(line.startswith(("=", "+", "-", "@")) for line in lines)
    assert lines[-2] == "skola;"


def test_xlsx_cells_are_text_not_formulas():
    sheet = load_workbook(io.BytesIO(to_xlsx(TABLE))).active
    assert sheet["A1"].value == "'=Titel"
    values = [sheet.cell(row=row, column=1) for row in range(5, 5 + len(DANGEROUS))]
    assert [cell.value for cell in values] == ["'" + text for text in DANGEROUS]
    assert all(cell.data_type == "s" for cell in values)
    assert sheet.cell(row=5, column=2).value == -3
    assert sheet.column_dimensions["A"].width > len("Namn")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026h2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2025/26", date(2025, 7, 1), date(2026, 6, 30)),
        ("2025/2026", date(2025, 7, 1), date(2026, 6, 30)),
    ],
)
def test_periods(text, start, end):
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "2025/27", "hösten", "", "2026H3"])
def test_bad_periods_get_a_swedish_message(text):
    with pytest.raises(PeriodError):
        parse_period(text)
