"""Caseload over HTTP, the way Teams sends it: two coordinators pressing *Ta ärendet* at the
same moment, a double click, and a leaver whose open dialog ends. On both databases."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlalchemy import func, select

from storage.audit import Actor
from storage.cases import CaseService, RegistrationInput
from storage.demo import DEMO_CODE, fictitious_personnummer
from storage.models import AuditEntry, KaaCase
from tests.integration.teams import USER_AAD, activity, say

SYSTEM = Actor(label="test", municipality_id=None, role="system")
BO_AAD = "00000000-0000-0000-0000-0000000000b0"
ADA_AAD = "00000000-0000-0000-0000-0000000000ad"


async def _world(sessionmaker) -> tuple[CaseService, int]:
    cases = CaseService(sessionmaker)
    municipality = await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_staff(SYSTEM, USER_AAD, "Anna Andersson", "coordinator", "0580")
    await cases.add_staff(SYSTEM, BO_AAD, "Bo Berg", "coordinator", "0580")
    await cases.add_staff(SYSTEM, ADA_AAD, "Ada Admin", "admin", "0580")
    intake = Actor("import", municipality.id, "coordinator")
    registration = await cases.register_youth(
        intake,
        RegistrationInput(
            personnummer=fictitious_personnummer(date(2008, 5, 17), 1, "kvinna"),
            first_name="Elin",
            last_name="Karlsson",
            registered_on=date(2026, 3, 2),
            registration_reason="avbrott_nationellt",
            source="gymnasieskola",
        ),
        today=date(2026, 3, 2),
    )
    return cases, registration.case_id


def _take(case_id: int, submission: str) -> dict[str, object]:
    return {"flow": "ta_arende", "case_id": case_id, "confirm": "ja", "submission": submission}


async def _assignments(sessionmaker, case_id: int) -> int:
    async with sessionmaker() as session:
        return int(
            await session.scalar(
                select(func.count()).where(
                    AuditEntry.action == "case.assign", AuditEntry.case_id == case_id
                )
            )
            or 0
        )


async def test_two_coordinators_press_take_at_the_same_moment(start_bot, sessionmaker, connector):
    _cases, case_id = await _world(sessionmaker)
    client = await start_bot(demo=False)
    bodies = [
        activity(connector.url, value=_take(case_id, "anna-1"), conversation_id="personal-anna"),
        activity(
            connector.url,
            value=_take(case_id, "bo-1"),
            conversation_id="personal-bo",
            aad_object_id=BO_AAD,
        ),
    ]

    responses = await asyncio.gather(*(client.post("/api/messages", json=body) for body in bodies))

    assert [response.status for response in responses] == [200, 200]
    texts = connector.texts()
    assert len(texts) == 2
    winners = [text for text in texts if text.startswith("Klart! Elin Karlsson")]
    losers = [text for text in texts if f"har redan ärende {case_id}" in text]
    assert len(winners) == 1 and len(losers) == 1, texts
    async with sessionmaker() as session:
        case = await session.get(KaaCase, case_id)
    holder = "Anna Andersson" if case.assigned_staff_id == 1 else "Bo Berg"
    assert losers[0].startswith(f"{holder} har redan ärende {case_id}")
    assert await _assignments(sessionmaker, case_id) == 1


async def test_a_double_click_takes_once(start_bot, sessionmaker, connector):
    _cases, case_id = await _world(sessionmaker)
    client = await start_bot(demo=False)
    first = await say(client, connector, None, value=_take(case_id, "twice"))
    again = await say(client, connector, None, value=_take(case_id, "twice"))
    assert first[0].startswith("Klart!") and "redan sparat" in again[0]
    assert await _assignments(sessionmaker, case_id) == 1


async def test_a_leaver_cannot_go_on_and_their_dialog_is_gone(start_bot, sessionmaker, connector):
    await _world(sessionmaker)
    client = await start_bot(demo=False)
    asked = await say(client, connector, "logga kontakt", aad_object_id=BO_AAD)
    assert "Vilken ungdom" in asked[-1]
    await say(client, connector, "avaktivera Bo", aad_object_id=ADA_AAD, conversation_id="ada")
    await say(client, connector, "Anna", aad_object_id=ADA_AAD, conversation_id="ada")
    done = await say(client, connector, "ja", aad_object_id=ADA_AAD, conversation_id="ada")
    assert "Bo Berg är avaktiverad" in done[0] and "En pågående dialog avslutades" in done[0]
    refused = await say(client, connector, "Elin", aad_object_id=BO_AAD)
    assert "inte registrerad som personal" in refused[0]


async def test_a_leaver_is_not_made_staff_again_in_demo_mode(start_bot, sessionmaker, connector):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, DEMO_CODE, "Demokommun")
    await cases.add_staff(SYSTEM, ADA_AAD, "Ada Admin", "admin", DEMO_CODE)
    client = await start_bot()
    assert not any("inte registrerad" in text for text in await say(client, connector, "hej"))
    for answer in ("avaktivera Alex", "ingen", "ja"):
        await say(client, connector, answer, aad_object_id=ADA_AAD, conversation_id="ada")
    assert "inte registrerad som personal" in (await say(client, connector, "hej"))[0]
