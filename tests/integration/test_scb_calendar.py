"""SCB without an end date: any half-year reports with the code list in force, deadlines and
code lists are confirmed by admins (CLI and chat), and never leave a silent gap."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

import pytest
from sqlalchemy import select

from dialogs.context import FlowContext
from dialogs.conversation import handle
from dialogs.engine import Turn
from storage.audit import Actor
from storage.cases import CaseService
from storage.models import AuditEntry
from storage.scb.calendar import ScbCalendar
from tests.integration.report_fixture import SYSTEM, build

ASSUMED = "(enligt standardregeln, ej bekräftad)"


@pytest.fixture
async def fixture(sessionmaker):
    return await build(CaseService(sessionmaker))


@pytest.fixture
async def admin(sessionmaker, fixture) -> Actor:
    member = await CaseService(sessionmaker).add_staff(SYSTEM, "aad-a1", "Ada", "admin", "0580")
    return Actor("aad-a1", fixture.municipality_id, "admin", member.id)


def report_scb(run, period: str, out, *options: str):
    arguments = ("--municipality", "0580", "--period", period, "--out", str(out), *options)
    return run("report", "scb", *arguments)


def new_list(name: str = "2027H1", valid_from: str = "2027H1") -> str:
    text = (resources.files("storage.scb") / "2026H2.toml").read_text(encoding="utf-8")
    text = text.replace('namn = "2026H2"', f'namn = "{name}"')
    text = text.replace('giltig_fran = "2026H2"', f'giltig_fran = "{valid_from}"')
    return text.replace('arbete = "21"', 'arbete = "22"')


def test_report_scb_for_any_half_year_names_its_code_list(run, fixture, tmp_path):
    out = tmp_path / "scb.txt"

    result = report_scb(run, "2027H1", out, "--force")

    assert result.exit_code == 0, result.output
    assert (
        "Kontroll enligt kodlistan 2026H2, sista dag 2027-09-13 (enligt standardregeln"
        in result.output
    )
    assert "SCB-filen för 2027H1 (kodlistan 2026H2) med 4 ungdomar" in result.output
    assert out.read_text().startswith("kommunkod;personnummer;")
    far = report_scb(run, "2031H2", out, "--force")
    assert far.exit_code == 0 and "kodlistan 2026H2" in far.output
    before = report_scb(run, "2024H1", out)
    assert before.exit_code == 1 and "Ingen installerad kodlista gäller för 2024H1" in before.output
    wrong = report_scb(run, "2027", out)
    assert wrong.exit_code == 2 and "inget halvår" in wrong.output


def test_deadlines_and_code_lists_from_the_command_line(run, fixture, tmp_path):
    status = run("scb", "status", "--from", "2026H2", "--count", "3")
    assert status.exit_code == 0, status.output
    assert status.output.splitlines() == [
        f"2026H2: sista dag 2027-02-15 {ASSUMED}; kodlista 2026H2 (bekräftad)",
        f"2027H1: sista dag 2027-09-13 {ASSUMED}; kodlista 2026H2 (ej bekräftad)",
        f"2027H2: sista dag 2028-02-14 {ASSUMED}; kodlista 2026H2 (ej bekräftad)",
    ]

    dated = run("scb", "deadline", "--period", "2027H1", "--date", "2027-09-20")
    assert dated.exit_code == 0, dated.output
    assert "2027H1: sista dag 2027-09-20 (bekräftad)" in dated.output
    early = run("scb", "deadline", "--period", "2027H1", "--date", "2027-06-01")
    assert early.exit_code == 1 and "efter halvårets slut (2027-06-30)" in early.output

    file = tmp_path / "kodlista.toml"
    file.write_text(new_list(), encoding="utf-8")
    installed = run("scb", "kodlista", "import", str(file))
    assert installed.exit_code == 0, installed.output
    assert "Kodlistan 2027H1 är installerad och gäller från 2027H1" in installed.output
    again = run("scb", "kodlista", "import", str(file))
    assert again.exit_code == 1 and "redan en kodlista som heter 2027H1" in again.output
    file.write_text(new_list().replace("[atgard]", "[atgarder]"), encoding="utf-8")
    broken = run("scb", "kodlista", "import", str(file))
    assert broken.exit_code == 1 and "Kodlistan kodlista.toml: atgard saknas" in broken.output

    confirmed = run("scb", "kodlista", "confirm", "--period", "2027H2")
    assert confirmed.exit_code == 0
    assert run("scb", "status", "--from", "2027H1", "--count", "2").output.splitlines() == [
        "2027H1: sista dag 2027-09-20 (bekräftad); kodlista 2027H1 (bekräftad)",
        f"2027H2: sista dag 2028-02-14 {ASSUMED}; kodlista 2027H1 (bekräftad)",
    ]
    out = tmp_path / "scb.txt"
    report = report_scb(run, "2027H1", out, "--force")
    assert "kodlistan 2027H1" in report.output and ";22;" in out.read_text()
    older = report_scb(run, "2026H2", out, "--force")
    assert "kodlistan 2026H2" in older.output and ";22;" not in out.read_text()


async def _say(sessionmaker, actor: Actor, text: str, today: date = date(2027, 8, 2)) -> str:
    context = FlowContext(CaseService(sessionmaker), actor)
    replies, _state = await handle(Turn(text, None, today), context, None)
    return "\n".join(reply.text or "" for reply in replies)


async def test_admins_confirm_in_the_chat(sessionmaker, fixture, admin):
    refused = await _say(sessionmaker, fixture.coordinator, "scb datum 2027H1 2027-09-20")
    assert "bara administratörer" in refused and "Inget ändrades" in refused

    dated = await _say(sessionmaker, admin, "scb datum 2027H1 20 september 2027")
    listed = await _say(sessionmaker, admin, "scb kodlista 2027H1")
    wrong = await _say(sessionmaker, admin, "scb datum 2027H1 1 juni 2027")
    shown = await _say(sessionmaker, fixture.coordinator, "scb perioder")

    assert "**2027H1** – sista dag 2027-09-20 (bekräftad)" in dated
    assert "kodlista 2026H2 (bekräftad)" in listed
    assert "efter halvårets slut" in wrong and "Inget ändrades" in wrong
    assert "**2027H1** – sista dag 2027-09-20 (bekräftad); kodlista 2026H2 (bekräftad)" in shown
    assert "**2027H2** – sista dag 2028-02-14 (enligt standardregeln" in shown
    assert "scb datum HALVÅR" not in shown  # the how-to is for admins
    async with sessionmaker() as session:
        details = list(
            await session.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == "scb.confirm")
            )
        )
    assert details == ["2027H1: sista dag 2027-09-20", "2027H1: kodlista 2026H2"]
    period = await ScbCalendar(sessionmaker).period("2027H1")
    assert period.unconfirmed == ()


async def test_the_chat_file_names_its_code_list(sessionmaker, fixture):
    context = FlowContext(CaseService(sessionmaker), fixture.manager)
    replies, _state = await handle(Turn("scb 2027H1", None, date(2027, 8, 2)), context, None)

    [reply] = replies
    assert "Kontrollen följer kodlistan 2026H2" in reply.text
    assert "2027-09-13 (enligt standardregeln, ej bekräftad)" in reply.text
    assert reply.file is not None and reply.file.name == "KAA_0580_2027H1.txt"


@pytest.mark.parametrize("day", ["2027-09-01", "2028-02-01"])
def test_the_dry_run_includes_the_scb_deadline_years_ahead(run, fixture, admin, day):
    result = run("reminders", "run", "--date", day, "--dry-run", "--json")

    assert result.exit_code == 0, result.output
    items = json.loads(result.output)
    deadline = [item for item in items if item["kind"] == "scb_deadline"]
    asks = [item for item in items if item["kind"] == "scb_confirm"]
    assert {item["staff"] for item in deadline} == {"aad-c1", "aad-m1"}
    assert all(item["personnummer"] is None for item in deadline)
    assert [item["staff"] for item in asks] == ["aad-a1"]
