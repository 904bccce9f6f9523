"""Granskning of a period: every case in KAA during it, closed ones with the closing checks,
and a random sample with the auditor's table — in the chat and on the command line."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from dialogs.context import FlowContext
from dialogs.conversation import handle
from dialogs.engine import Turn
from storage.case_queries import CaseQueries
from storage.cases import CaseService, Closing
from storage.models import AuditEntry
from storage.reports.granskning import Area, Status
from storage.reports.granskning_cases import load_grades
from storage.reports.period import parse_period
from storage.routine import RoutineSettings
from tests.integration.report_fixture import RECORDED_ON, build

TODAY = date(2026, 8, 10)


@pytest.fixture
async def fixture(sessionmaker):
    return await build(CaseService(sessionmaker))


async def test_a_period_covers_ongoing_and_closed_cases(sessionmaker, fixture):
    cases = CaseService(sessionmaker)
    b = fixture.cases["B"]
    await cases.record_occupation(
        fixture.coordinator, b, "okand", date(2026, 5, 20), today=RECORDED_ON
    )
    version = (await CaseQueries(sessionmaker).brief(fixture.coordinator, b)).version
    await cases.close_case(
        fixture.coordinator,
        b,
        Closing(date(2026, 6, 1), "borjat_nationellt"),
        expected_version=version,
        today=RECORDED_ON,
    )

    graded = await load_grades(
        sessionmaker, fixture.manager, RoutineSettings(), TODAY, period=parse_period("2026H1")
    )
    active = await load_grades(sessionmaker, fixture.manager, RoutineSettings(), TODAY)

    by_case = {item.grade.case_id: item for item in graded}
    assert set(by_case) == {fixture.cases[k] for k in "ABCD"}  # E closed before, F came after
    assert {item.grade.case_id for item in active} == {fixture.cases[k] for k in "ACF"}
    assert by_case[b].closed_on == date(2026, 6, 1)
    closing = by_case[b].grade.areas[Area.ATGARDER]
    assert closing.status == Status.INTE  # no measure in time, and now the closing too
    assert "sysselsättningen vid avslut är okänd" in closing.missing
    d = by_case[fixture.cases["D"]].grade.areas[Area.ATGARDER]
    assert not any("avslut" in item for item in d.missing)  # reason, occupation "arbete"
    async with sessionmaker() as session:
        audited = set(
            await session.scalars(
                select(AuditEntry.case_id).where(
                    AuditEntry.action == "report.granskning", AuditEntry.detail == "2026H1"
                )
            )
        )
    assert audited == set(by_case)


async def test_the_chat_grades_a_period(sessionmaker, fixture):
    context = FlowContext(CaseService(sessionmaker), fixture.manager)

    replies, _state = await handle(Turn("granskning 2026H1", None, TODAY), context, None)

    card, listing = replies
    assert "under första halvåret 2026" in card.text
    intro = next(block for block in card.card["body"] if block.get("id") == "intro")
    assert intro["text"].startswith("4 ärenden i aktivitetsansvaret under första halvåret 2026")
    assert f"(ärende {fixture.cases['D']}, avslutat " in listing.text
    coordinator = FlowContext(CaseService(sessionmaker), fixture.coordinator)
    mine, _state = await handle(Turn("granskning 2026H1", None, TODAY), coordinator, None)
    assert len(mine) == 1 and "Dina ärenden med brister" in mine[0].text
    wrong, _state = await handle(Turn("granskning 2026-13", None, TODAY), context, None)
    assert "Månaden i 2026-13 finns inte" in wrong[0].text


@pytest.fixture
def granskning(run):
    return lambda *args: run("report", "granskning", *args)


def test_a_sample_prints_the_auditors_table(granskning, fixture):
    args = ("--municipality", "0580", "--period", "2026H1", "--urval", "2", "--slumpfro", "7")

    first, again = granskning(*args), granskning(*args)

    assert first.exit_code == 0, first.output
    assert first.output == again.output  # the same seed draws the same sample
    lines = first.output.splitlines()
    assert lines[0].endswith("stickprov 2 av 4 ärenden (pågående och avslutade), slumpfrö 7")
    header, *areas = lines[2:7]
    assert header.split() == [
        "Område",
        "Uppfyller",
        "Uppfyller",
        "delvis",
        "Uppfyller",
        "inte",
        "Ej",
        "aktuell",
    ]
    assert [row.split()[0] for row in areas] == [
        "Kontakt",
        "Kartläggning",
        "Åtgärder",
        "Utvärdering",
    ]
    assert all("/2" in row for row in areas)
    assert "Redovisning av stickprovet" in lines
    assert sum(line.startswith("Ärende ") for line in lines) == 2
    assert not any("Testsson" in line for line in lines)  # cases by number only
    document = json.loads(granskning(*args, "--json").output)
    assert document["sample"] == {"size": 2, "of": 4, "seed": 7}
    assert document["period"] == "2026H1" and len(document["cases"]) == 2
    assert granskning("--municipality", "0580", "--period", "2026H3").exit_code == 2
