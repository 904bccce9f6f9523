"""Lägg till handläggare from chat: admins only, and only to their own municipality."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.audit import Actor
from storage.cases import CaseService, NotAllowed
from storage.models import AuditEntry, Staff
from tests.integration.teams import USER_AAD, say

SYSTEM = Actor(label="test", municipality_id=None, role="system")
NEW_AAD = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


async def _bot_with_user(start_bot, sessionmaker, role: str):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    await cases.add_staff(SYSTEM, USER_AAD, "Ada Admin", role, "0580")
    return await start_bot(demo=False)


async def _staff(sessionmaker, aad_id: str) -> Staff | None:
    async with sessionmaker() as session:
        return await session.scalar(select(Staff).where(Staff.aad_object_id == aad_id))


async def test_admin_adds_a_coordinator_with_second_chances(start_bot, sessionmaker, connector):
    client = await _bot_with_user(start_bot, sessionmaker, "admin")
    assert "aadObjectId" in (await say(client, connector, "lägg till handläggare"))[-1]
    wrong_id = await say(client, connector, "inte-ett-id")
    assert "inte ut som ett aadObjectId" in wrong_id[0]
    assert "Vad heter" in (await say(client, connector, NEW_AAD.upper()))[-1]
    assert "bokstäver" in (await say(client, connector, "R2D2"))[0]
    roles = await say(client, connector, "Hanna Handläggare")
    assert "handläggare" in roles[-1] and "administratör" in roles[-1]
    summary = await say(client, connector, "1")
    assert "Hanna Handläggare" in summary[0] and NEW_AAD in summary[0]
    done = await say(client, connector, "ja")
    assert "Hanna Handläggare är tillagd som handläggare" in done[0]
    added = await _staff(sessionmaker, NEW_AAD)
    admin = await _staff(sessionmaker, USER_AAD)
    assert added.role == "coordinator" and added.municipality_id == admin.municipality_id
    async with sessionmaker() as session:
        entries = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.action == "staff.add").order_by(AuditEntry.id)
            )
        )
    assert (
        entries[-1].staff_id == admin.id
        and entries[-1].detail == f"roll coordinator, personal {added.id}"
    )


async def test_the_new_person_can_then_use_the_bot(start_bot, sessionmaker, connector):
    client = await _bot_with_user(start_bot, sessionmaker, "admin")
    for answer in ("lägg till personal", NEW_AAD, "Chris Chef", "chef", "ja"):
        await say(client, connector, answer)
    replies = await say(client, connector, "hjälp", aad_object_id=NEW_AAD)
    assert not any("inte registrerad som personal" in reply for reply in replies)
    assert (await _staff(sessionmaker, NEW_AAD)).role == "manager"


async def test_adding_someone_who_exists_is_refused_kindly(start_bot, sessionmaker, connector):
    client = await _bot_with_user(start_bot, sessionmaker, "admin")
    await CaseService(sessionmaker).add_staff(SYSTEM, NEW_AAD, "Finns Redan", "coordinator", "0580")
    for answer in ("lägg till handläggare", NEW_AAD, "Finns Igen", "administratör"):
        await say(client, connector, answer)
    replies = await say(client, connector, "ja")
    assert "finns redan" in replies[0]
    assert (await _staff(sessionmaker, NEW_AAD)).name == "Finns Redan"


@pytest.mark.parametrize("role", ["coordinator", "manager"])
async def test_others_get_a_polite_refusal(start_bot, sessionmaker, connector, role):
    client = await _bot_with_user(start_bot, sessionmaker, role)
    replies = await say(client, connector, "lägg till handläggare")
    assert len(replies) == 1 and "bara administratörer" in replies[0]
    card = {
        "flow": "lagg_till_handlaggare",
        "aad_object_id": NEW_AAD,
        "name": "Smygande Smith",
        "role": "admin",
        "confirm": "ja",
        "submission": "sneaky-1",
    }
    replies = await say(client, connector, None, value=card)
    assert "bara administratörer" in replies[0]
    assert await _staff(sessionmaker, NEW_AAD) is None
    follow_up = await say(client, connector, "ja")
    assert "förstod jag inte" in follow_up[0]


async def test_the_case_api_keeps_admins_to_their_own_municipality(sessionmaker):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    admin = await cases.add_staff(SYSTEM, "aad-adm", "Ada", "admin", "0580")
    coordinator = await cases.add_staff(SYSTEM, "aad-koord", "Kim", "coordinator", "0580")

    def actor(staff: Staff) -> Actor:
        return Actor(f"personal:{staff.id}", staff.municipality_id, staff.role, staff.id)

    with pytest.raises(NotAllowed):
        await cases.add_staff(actor(admin), "aad-x", "X", "coordinator", "0682")
    with pytest.raises(NotAllowed):
        await cases.add_staff(actor(coordinator), "aad-y", "Y", "coordinator")
    added = await cases.add_staff(actor(admin), "aad-z", "Z", "manager")
    assert added.municipality_id == admin.municipality_id
