"""The quick questions answered from the case store, on both databases."""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dialogs.context import FlowContext
from dialogs.conversation import handle
from dialogs.engine import Turn
from dialogs.intents import recognise
from dialogs.queries import answer
from storage.cases import CaseService, ContactInput
from storage.models import AuditEntry
from storage.reports.export import XLSX
from tests.integration.report_fixture import build

TODAY = date(2026, 7, 10)


@pytest.fixture
async def fixture(sessionmaker):
    return await build(CaseService(sessionmaker))


async def ask(sessionmaker, actor, text: str, today: date = TODAY):
    context = FlowContext(CaseService(sessionmaker), actor)
    return await answer(recognise(text), Turn(text, None, today), context)


def card_types(card) -> set[str]:
    return {block["type"] for block in card["body"]}


async def test_today_lists_the_coordinators_due_reminders(sessionmaker, fixture):
    replies = await ask(sessionmaker, fixture.coordinator, "vad har jag idag?")
    card = replies[0].card
    assert card is not None
    text = str(card)
    assert "Cilla Testsson" in text  # C: never contacted
    assert "Ebba" not in text  # E is closed
    async with sessionmaker() as session:
        listed = await session.scalar(select(func.count()).where(AuditEntry.action == "case.list"))
    assert listed and listed > 0
    overdue = await ask(sessionmaker, fixture.coordinator, "forsenade")
    assert overdue[0].text.startswith("**Försenat:**")
    nothing = await ask(sessionmaker, fixture.manager, "vad har jag idag")
    # A manager holds no cases; the day starts with those nobody follows up (if any).
    assert nothing[-1].text == "Du har inga aktiva ärenden tilldelade just nu."


async def test_lists(sessionmaker, fixture):
    not_reached = await ask(sessionmaker, fixture.coordinator, "vilka har jag inte natt")
    assert "Cilla Testsson" in not_reached[0].text and "Alva " not in not_reached[0].text
    assert "inget försök ännu" in not_reached[0].text
    cases = CaseService(sessionmaker)
    for day in (date(2026, 3, 3), date(2026, 4, 2)):
        await cases.log_contact(
            fixture.coordinator,
            fixture.cases["C"],
            ContactInput(day, "telefon", "ungdomen", "ej_nadd"),
            today=TODAY,
        )
    tried = await ask(sessionmaker, fixture.coordinator, "vilka har jag inte natt")
    [line] = [line for line in tried[0].text.splitlines() if "Cilla" in line]
    assert line.endswith("försök 3 mars–2 april")
    enrolled = await ask(sessionmaker, fixture.coordinator, "hur många är inskrivna?")
    assert enrolled[0].text.startswith("**4** ungdomar är inskrivna")  # A B C F
    assert "(3 kvinnor, 1 män)" in enrolled[0].text
    mine = await ask(sessionmaker, fixture.coordinator, "mina ärenden")
    assert "Dina ärenden (4)" in mine[0].text
    # F was registered on Sunday 5 July: new that week, not the week after.
    new = await ask(sessionmaker, fixture.coordinator, "nya denna vecka", date(2026, 7, 5))
    assert "Nya denna vecka (1)" in new[0].text and "Fanny Testsson" in new[0].text
    later = await ask(sessionmaker, fixture.coordinator, "nya denna vecka")
    assert later[0].text == "Inga nya ungdomar har registrerats sedan måndag 6 juli."
    turning = await ask(sessionmaker, fixture.coordinator, "vilka fyller 20 snart")
    assert "fyller 20" in turning[0].text


async def test_kpi_card_has_charts(sessionmaker, fixture):
    replies = await ask(sessionmaker, fixture.manager, "nyckeltal 2026H1")
    card = replies[0].card
    assert {"Chart.Pie", "Chart.VerticalBar", "FactSet"} <= card_types(card)
    pie = next(b for b in card["body"] if b["type"] == "Chart.Pie")
    assert pie["data"] == [{"legend": "Kvinnor", "value": 2}, {"legend": "Män", "value": 2}]
    assert replies[0].suggestions == ("nyckeltal 2026H1 excel",) and len(replies) == 1
    bad = await ask(sessionmaker, fixture.manager, "nyckeltal 2026-13")
    assert "Månaden" in bad[0].text


async def test_kpi_as_a_spreadsheet_file(sessionmaker, fixture):
    replies = await ask(sessionmaker, fixture.coordinator, "nyckeltal 2026H1 excel")

    assert replies[0].card is not None
    file = replies[1].file
    assert file is not None and file.name == "nyckeltal_0580_2026H1.xlsx"
    assert file.content_type == XLSX
    sheet = load_workbook(io.BytesIO(file.data)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    assert rows[0][0].startswith("Nyckeltal KAA") and "2026" in rows[1][0]
    in_kaa = next(row for row in rows if row[0] == "Ungdomar i KAA")
    assert in_kaa[2:] == (4, 2, 2)


async def test_scb_file_for_managers_check_for_coordinators(sessionmaker, fixture):
    manager = await ask(sessionmaker, fixture.manager, "scb 2026H1")
    file = manager[0].file
    assert file is not None and file.name == "KAA_0580_2026H1.txt"
    assert len(file.data.decode().splitlines()) == 5
    assert "sysselsättning vid registrering saknas" in manager[0].text
    coordinator = await ask(sessionmaker, fixture.coordinator, "scb 2026H1")
    assert coordinator[0].file is None
    assert "Filen tar din chef fram" in coordinator[0].text
    assert "Cilla Testsson" in coordinator[0].text


async def test_granskning(sessionmaker, fixture):
    coordinator = await ask(sessionmaker, fixture.coordinator, "granskning")
    assert len(coordinator) == 1 and "Dina ärenden med brister" in coordinator[0].text
    manager = await ask(sessionmaker, fixture.manager, "granskning")
    table = next(b for b in manager[0].card["body"] if b["type"] == "Table")
    assert len(table["rows"]) == 5
    assert "insats Praktik" in manager[1].text


async def test_conversation_routes_questions_commands_and_unclear_text(sessionmaker, fixture):
    context = FlowContext(CaseService(sessionmaker), fixture.coordinator)
    replies, state = await handle(Turn("Vad har jg idag", None, TODAY), context, None)
    assert replies[0].card is not None and state["active"] is None
    replies, state = await handle(Turn("visa försenade", None, TODAY), context, None)
    assert replies[0].text.startswith("**Försenat:**")
    replies, state = await handle(Turn("fyller", None, TODAY), context, None)
    assert "vilka fyller 20 snart?" in replies[0].suggestions
    replies, state = await handle(Turn("visa Cilla", None, TODAY), context, None)
    assert state["active"] is None or state["active"]["flow"] == "visa"
    assert any("Cilla" in (reply.text or "") + str(reply.card or "") for reply in replies)


def test_data_uri_attachment():
    from bot.replies import to_activity
    from dialogs.engine import FileReply, Reply

    activity = to_activity(Reply(text="Fil", file=FileReply("a.txt", "text/plain", b"x;y")))
    attachment = activity["attachments"][0]
    assert attachment["name"] == "a.txt"
    assert attachment["contentUrl"] == "data:text/plain;base64," + base64.b64encode(b"x;y").decode()
