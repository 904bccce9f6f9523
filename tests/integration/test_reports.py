"""Key figures, the SCB file and audit readiness against figures worked out by hand."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from storage.case_errors import NotAllowed
from storage.cases import CaseService
from storage.models import AuditEntry
from storage.reports.granskning import Area, Status
from storage.reports.granskning_cases import load_grades
from storage.reports.kpi import key_figures
from storage.reports.period import parse_period
from storage.reports.scb import incomplete_counts, scb_check, scb_file
from storage.routine import RoutineSettings
from storage.scb.calendar import ScbCalendar
from tests.integration.report_fixture import build


@pytest.fixture
async def fixture(sessionmaker):
    return await build(CaseService(sessionmaker))


async def _period(sessionmaker, code: str):
    return await ScbCalendar(sessionmaker).period(code)


def _split(figures, key, category=None):
    figure = figures.get(key, category)
    return (figure.total, figure.kvinna, figure.man)


async def test_key_figures_for_a_half_year(sessionmaker, fixture):
    figures = await key_figures(sessionmaker, fixture.manager, parse_period("2026H1"))
    assert _split(figures, "i_kaa") == (4, 2, 2)  # A C | B D
    assert _split(figures, "i_aktivitet") == (1, 1, 0)  # A's praktik
    assert _split(figures, "ej_kontaktade") == (1, 1, 0)  # C
    assert _split(figures, "studerar_eller_sysselsatta") == (3, 1, 2)  # A arbete | B, D
    assert _split(figures, "ater_till_gymnasiet") == (1, 0, 1)  # B from 04-01
    assert _split(figures, "nya_registreringar") == (3, 1, 2)  # C | B D
    assert _split(figures, "kontakt_inom_4_veckor") == (1, 0, 1)  # D after 10 days
    assert _split(figures, "median_dagar_till_kontakt") == (24.0, None, 24.0)  # 38, 10
    assert _split(figures, "registreringar_per_orsak", "avbrott_nationellt") == (1, 0, 1)
    assert _split(figures, "registreringar_per_orsak", "inflyttad") == (1, 1, 0)
    assert _split(figures, "registreringar_per_orsak", "ej_paborjat") == (1, 0, 1)
    assert len(figures.breakdown("registreringar_per_orsak")) == 3
    assert _split(figures, "insatser_per_typ", "praktik") == (1, 1, 0)
    assert _split(figures, "avhopp_per_skola", "Norra gymnasiet") == (1, 0, 1)
    assert _split(figures, "nya_per_halvar", "2026H1") == (3, 1, 2)
    assert [f.category for f in figures.breakdown("nya_per_halvar")] == ["2026H1"]


async def test_key_figures_for_a_school_year_and_a_month(sessionmaker, fixture):
    year = await key_figures(sessionmaker, fixture.manager, parse_period("2025/26"))
    assert _split(year, "i_kaa") == (5, 3, 2)  # + E
    assert _split(year, "nya_registreringar") == (5, 3, 2)
    assert _split(year, "nya_per_halvar", "2025H2") == (2, 2, 0)  # A, E
    assert _split(year, "nya_per_halvar", "2026H1") == (3, 1, 2)
    assert _split(year, "avhopp_per_skola", "Norra gymnasiet") == (2, 1, 1)  # A, B
    march = await key_figures(sessionmaker, fixture.manager, parse_period("2026-03"))
    assert _split(march, "i_kaa") == (4, 2, 2)  # D left on 03-10
    assert _split(march, "nya_registreringar") == (1, 1, 0)  # C
    # On 03-31 A has "ingen", B "okänd"; D had "arbete" when leaving on 03-10.
    assert _split(march, "studerar_eller_sysselsatta") == (1, 0, 1)
    async with sessionmaker() as session:
        actions = list(
            await session.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == "report.kpi")
            )
        )
    assert actions == ["period 2025/26", "period 2026-03"]


async def test_only_managers_and_admins_make_the_scb_file(sessionmaker, fixture):
    with pytest.raises(NotAllowed, match="chef"):
        await scb_file(sessionmaker, fixture.coordinator, await _period(sessionmaker, "2026H1"))
    async with sessionmaker() as session:
        shown = await session.scalar(select(func.count()).where(AuditEntry.action == "report.scb"))
    assert shown == 0


async def test_scb_file_rows_and_check(sessionmaker, fixture):
    period = await _period(sessionmaker, "2026H1")
    result = await scb_file(sessionmaker, fixture.manager, period)
    by_pnr = {row["personnummer"]: row for row in result.rows}
    assert set(by_pnr) == {fixture.personnummer[k] for k in "ABCD"}
    common = {"kommunkod": "0580"}
    assert by_pnr[fixture.personnummer["A"]] == common | {
        "personnummer": fixture.personnummer["A"],
        "kon": "2",
        "registreringsdatum": "2025-10-01",
        "registreringsorsak": "1",
        "sysselsattning_vid_registrering": "41",
        "kontakt": "1",
        "sysselsattning_senaste_kontakt": "41",
        "atgarder": "03",
        "tackat_nej_forsta_atgard": "2",
        "sysselsattning_efter_atgard": "21",
        "avregistreringsdatum": "",
        "avregistreringsorsak": "0",
    }
    assert by_pnr[fixture.personnummer["B"]] == common | {
        "personnummer": fixture.personnummer["B"],
        "kon": "1",
        "registreringsdatum": "2026-02-10",
        "registreringsorsak": "1",
        "sysselsattning_vid_registrering": "99",
        "kontakt": "1",
        "sysselsattning_senaste_kontakt": "99",
        "atgarder": "00",
        "tackat_nej_forsta_atgard": "00",
        "sysselsattning_efter_atgard": "99",
        "avregistreringsdatum": "",
        "avregistreringsorsak": "0",
    }
    assert by_pnr[fixture.personnummer["C"]]["sysselsattning_vid_registrering"] == ""
    assert by_pnr[fixture.personnummer["C"]]["kontakt"] == "2"
    assert by_pnr[fixture.personnummer["C"]]["sysselsattning_senaste_kontakt"] == "9"
    assert by_pnr[fixture.personnummer["D"]] == common | {
        "personnummer": fixture.personnummer["D"],
        "kon": "1",
        "registreringsdatum": "2026-01-15",
        "registreringsorsak": "4",
        "sysselsattning_vid_registrering": "21",
        "kontakt": "1",
        "sysselsattning_senaste_kontakt": "21",
        "atgarder": "00",
        "tackat_nej_forsta_atgard": "00",
        "sysselsattning_efter_atgard": "99",
        "avregistreringsdatum": "2026-03-10",
        "avregistreringsorsak": "1",
    }
    problems = {(p.case_id, p.message) for p in result.problems}
    assert problems == {
        (fixture.cases["B"], "sysselsättningen är okänd trots etablerad kontakt"),
        (fixture.cases["C"], "sysselsättning vid registrering saknas"),
    }
    lines = result.to_bytes().decode().splitlines()
    assert lines[0].startswith("kommunkod;personnummer;kon;")
    assert len(lines) == 5
    async with sessionmaker() as session:
        read = set(
            await session.scalars(
                select(AuditEntry.case_id).where(AuditEntry.action == "report.scb")
            )
        )
        counts = await incomplete_counts(
            session, period, result.code_lists, [fixture.municipality_id]
        )
    assert read == {fixture.cases[k] for k in "ABCD"}
    assert counts == {fixture.municipality_id: 2}
    nobody = replace(fixture.coordinator, staff_id=999_999)
    mine = await scb_check(sessionmaker, nobody, period)
    assert mine.problems == [] and mine.code_lists.name == "2026H1"
    # Without a staff id there are no own cases to check: refused, not an empty check.
    with pytest.raises(NotAllowed):
        await scb_check(sessionmaker, replace(fixture.coordinator, staff_id=None), period)


async def test_grades_of_the_fixture(sessionmaker, fixture):
    graded = await load_grades(sessionmaker, fixture.manager, RoutineSettings(), date(2026, 7, 10))
    by_case = {g.grade.case_id: g.grade for g in graded}
    assert set(by_case) == {fixture.cases[k] for k in "ABCF"}
    assert by_case[fixture.cases["C"]].areas[Area.KONTAKT].status == Status.INTE
    assert "insats Praktik saknar datum för utvärdering" in by_case[fixture.cases["A"]].missing
    own = await load_grades(
        sessionmaker,
        fixture.coordinator,
        RoutineSettings(),
        date(2026, 7, 10),
        staff_id=fixture.coordinator.staff_id,
    )
    assert len(own) == 4


def test_cli_kpi_json_csv_xlsx(run, fixture, tmp_path):
    result = run("report", "kpi", "--municipality", "0580", "--period", "2026H1")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    first = document["indicators"][0]
    assert first == {
        "indicator": "i_kaa",
        "label": "Ungdomar i KAA",
        "total": 4,
        "kvinna": 2,
        "man": 2,
    }
    assert all({"total", "kvinna", "man"} <= set(item) for item in document["indicators"])
    csv_file = tmp_path / "k.csv"
    result = run(
        "report",
        "kpi",
        "--municipality",
        "0580",
        "--period",
        "2026H1",
        "--format",
        "csv",
        "--out",
        str(csv_file),
    )
    assert result.exit_code == 0, result.output
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[1] == "Ungdomar i KAA;;4;2;2"
    xlsx_file = tmp_path / "k.xlsx"
    result = run(
        "report",
        "kpi",
        "--municipality",
        "0580",
        "--period",
        "2025/26",
        "--format",
        "xlsx",
        "--out",
        str(xlsx_file),
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(io.BytesIO(xlsx_file.read_bytes())).active
    assert sheet["A1"].value == "Nyckeltal KAA – Testkommun"
    assert "läsåret 2025/26" in sheet["A2"].value
    assert [c.value for c in sheet[4]] == ["Nyckeltal", "Kategori", "Totalt", "Kvinnor", "Män"]
    assert [c.value for c in sheet[5]] == ["Ungdomar i KAA", None, 5, 3, 2]
    bad = run("report", "kpi", "--municipality", "0580", "--period", "våren")
    assert bad.exit_code == 2 and "Jag förstår inte perioden" in bad.output
    unknown = run("report", "kpi", "--municipality", "0000", "--period", "2026H1")
    assert unknown.exit_code == 1 and "ingen kommun" in unknown.output


def test_cli_scb_refuses_with_errors_and_writes_with_force(run, fixture, tmp_path):
    out = tmp_path / "scb.txt"
    result = run("report", "scb", "--municipality", "0580", "--period", "2026H1", "--out", str(out))
    assert result.exit_code == 1
    assert f"ärende {fixture.cases['C']}: sysselsättning vid registrering saknas" in result.output
    assert not out.exists()
    assert fixture.personnummer["C"] not in result.output
    forced = run(
        "report",
        "scb",
        "--municipality",
        "0580",
        "--period",
        "2026h1",
        "--out",
        str(out),
        "--force",
    )
    assert forced.exit_code == 0, forced.output
    assert len(out.read_text().splitlines()) == 5


def test_cli_granskning_json(run, fixture):
    result = run("report", "granskning", "--municipality", "0580", "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert len(document["cases"]) == 4
    assert sum(document["summary"]["Kontakt"].values()) == 4
