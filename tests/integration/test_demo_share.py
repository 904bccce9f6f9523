"""The demo's first user gets about ten youths with reminders due: the digest, "vad har jag
idag?" and "mina ärenden" show real work from the first minute. On both databases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.staff import actor_for
from dialogs.context import FlowContext
from dialogs.engine import Turn
from dialogs.intents import recognise
from dialogs.queries import answer
from scheduler.planning import plan_day
from storage.audit import Actor
from storage.cases import CaseService
from storage.demo import DEMO_CODE, DEMO_SHARE, seed_demo, share_demo_cases
from storage.models import AuditEntry, KaaCase
from tests.integration.teams import USER_AAD, say

TODAY = date(2026, 11, 23)  # a Monday
SYSTEM = Actor(label="test", municipality_id=None, role="system")


async def test_the_first_user_gets_ten_waiting_cases_with_reminders_due(sessionmaker):
    cases = CaseService(sessionmaker)
    await seed_demo(cases, TODAY, SYSTEM)
    first = await cases.add_staff(SYSTEM, "aad-first", "Först", "coordinator", DEMO_CODE)
    second = await cases.add_staff(SYSTEM, "aad-second", "Sen", "coordinator", DEMO_CODE)

    given = await share_demo_cases(cases, first)

    assert len(given) == DEMO_SHARE
    assert await share_demo_cases(cases, second) == []
    async with sessionmaker() as session:
        held = list(
            await session.scalars(select(KaaCase.id).where(KaaCase.assigned_staff_id == first.id))
        )
        audited = list(
            await session.scalars(
                select(AuditEntry.case_id).where(AuditEntry.action == "case.assign")
            )
        )
        waiting = list(
            await session.scalars(
                select(KaaCase.id).where(
                    KaaCase.status == "active", KaaCase.assigned_staff_id.is_(None)
                )
            )
        )
    assert sorted(held) == sorted(given) == sorted(audited)
    assert waiting  # the rest wait for "fördela"
    context = FlowContext(cases, actor_for(first))
    today = await answer(
        recognise("vad har jag idag?"), Turn("vad har jag idag?", None, TODAY), context
    )
    assert today[0].card is not None and today[0].text.startswith("**Idag och försenat:**")
    plan = await plan_day(sessionmaker, TODAY)
    mine = {a.reminder.case_id for a in plan.assignments() if a.staff_id == first.id}
    assert mine == set(given)  # every one has something due in the digest


async def test_in_the_demo_bot_the_first_writer_has_cases(start_bot, sessionmaker, connector):
    await seed_demo(CaseService(sessionmaker), date.today(), SYSTEM)
    client = await start_bot()
    mine = await say(client, connector, "mina ärenden")
    assert mine[0].startswith(f"**Dina ärenden ({DEMO_SHARE}):**")
    due = await say(client, connector, "vad har jag idag?")
    assert "att göra" in due[0]
    other = await say(
        client, connector, "mina ärenden", aad_object_id=USER_AAD[:-2] + "99", conversation_id="p2"
    )
    assert other[0] == "Du har inga aktiva ärenden tilldelade just nu."
