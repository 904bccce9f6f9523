"""The municipality's routine: shown by `hjälp rutin`, changed by an admin in the chat or by
`kaa-bot rutin`, validated and audited in storage, used by the reminder rules."""

from __future__ import annotations

from datetime import date, time

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from dialogs.context import FlowContext
from dialogs.conversation import handle
from dialogs.engine import Turn
from scheduler.loading import load_municipalities
from storage.audit import Actor
from storage.cases import CaseService
from storage.models import AuditEntry
from storage.routine import RoutineSettings, routine_settings

TODAY = date(2026, 3, 4)
SYSTEM = Actor(label="test", municipality_id=None, role="system")


@pytest.fixture
async def staff(sessionmaker) -> dict[str, Actor]:
    cases = CaseService(sessionmaker)
    municipality = await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    actors = {}
    for role in ("admin", "coordinator"):
        member = await cases.add_staff(SYSTEM, f"aad-{role}", role.title(), role, "0580")
        actors[role] = Actor(f"aad-{role}", municipality.id, role, member.id)
    return actors


async def _say(sessionmaker, actor: Actor, text: str) -> str:
    context = FlowContext(CaseService(sessionmaker), actor)
    replies, _state = await handle(Turn(text, None, TODAY), context, None)
    return "\n".join(reply.text or "" for reply in replies)


async def _routine(sessionmaker, code: str) -> RoutineSettings:
    async with sessionmaker() as session:
        rows = await load_municipalities(session)
    [row] = [row for row in rows if row.code == code]
    return routine_settings(row)


async def test_help_shows_every_setting_with_its_value(sessionmaker, staff):
    text = await _say(sessionmaker, staff["coordinator"], "hjälp rutin")

    for name in RoutineSettings.model_fields:
        assert f"**{name}**" in text
    assert "**contact_followup_months** = 1 –" in text
    assert "**digest_time** = 07:30 –" in text
    assert "rutin contact_followup_months=2" in text


async def test_an_admin_changes_the_routine_in_the_chat(sessionmaker, staff):
    text = await _say(
        sessionmaker, staff["admin"], "rutin contact_followup_months = 2 digest_time=07:05"
    )

    assert text.startswith("Klart, rutinen är ändrad.")
    assert "**contact_followup_months** = 2 (standard 1)" in text
    routine = await _routine(sessionmaker, "0580")
    assert (routine.contact_followup_months, routine.digest_time) == (2, time(7, 5))
    assert (await _routine(sessionmaker, "0682")) == RoutineSettings()
    async with sessionmaker() as session:
        entry = await session.scalar(
            select(AuditEntry).where(AuditEntry.action == "municipality.routine")
        )
    assert entry.staff_id == staff["admin"].staff_id
    assert entry.detail == "kommunkod 0580: contact_followup_months=2, digest_time=07:05"

    back = await _say(sessionmaker, staff["admin"], "rutin contact_followup_months=standard")
    assert "**contact_followup_months** = 1 –" in back
    assert (await _routine(sessionmaker, "0580")).digest_time == time(7, 5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rutin contact_followup_months=13", "måste vara ett heltal från 1 till 12"),
        ("rutin contact_followup_months=två", "måste vara ett heltal från 1 till 12"),
        ("rutin home_visit_month=2", "Okänd inställning: home_visit_month"),
        ("rutin digest_time=25:00", "digest_time måste vara en tid som 07:30"),
        ("rutin scb_reminder_days_before=28,0", "scb_reminder_days_before måste vara en lista"),
        ("rutin plan_missing_weeks", "namn=värde"),
    ],
)
async def test_a_bad_value_changes_nothing_and_says_why(sessionmaker, staff, text, message):
    await _say(sessionmaker, staff["admin"], "rutin plan_missing_weeks=6")

    answer = await _say(sessionmaker, staff["admin"], f"{text} regular_followup_months=2")

    assert message in answer and "Inget ändrades" in answer
    routine = await _routine(sessionmaker, "0580")
    assert (routine.plan_missing_weeks, routine.regular_followup_months) == (6, 1)


async def test_only_admins_change_the_routine(sessionmaker, staff):
    answer = await _say(sessionmaker, staff["coordinator"], "rutin contact_followup_months=2")

    assert "bara administratörer" in answer
    assert (await _routine(sessionmaker, "0580")) == RoutineSettings()


def test_cli_shows_and_changes_the_routine(database_url, engine, sessionmaker, monkeypatch):
    monkeypatch.setenv("KAA_DATABASE_URL", database_url)
    runner = CliRunner()
    assert (
        runner.invoke(main, ["municipality", "add", "--code", "0580", "--name", "L"]).exit_code == 0
    )

    changed = runner.invoke(
        main,
        [
            "rutin",
            "--municipality",
            "0580",
            "--set",
            "home_visit_months=3",
            "--set",
            "scb_reminder_days_before=14,28",
        ],
    )
    refused = runner.invoke(
        main, ["rutin", "--municipality", "0580", "--set", "home_visit_months=0"]
    )
    shown = runner.invoke(main, ["rutin", "--municipality", "0580"])

    assert changed.exit_code == 0, changed.output
    assert refused.exit_code == 1 and "från 1 till 12" in refused.output
    [line] = [line for line in shown.output.splitlines() if line.startswith("home_visit_months ")]
    assert " 3* " in line
    [days] = [
        line for line in shown.output.splitlines() if line.startswith("scb_reminder_days_before")
    ]
    assert "28,14*" in days
