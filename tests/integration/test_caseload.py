"""Taking, assigning and handing over cases, and staff who leave: the rules in storage, on
both databases, with one audit entry per case moved."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from bot.staff import actor_for
from storage import bot_state
from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.caseload import Taken
from storage.cases import (
    CaseError,
    CaseService,
    Closing,
    NotAllowed,
    NotFound,
    RegistrationInput,
    StaleCase,
)
from storage.colleagues import Colleague
from storage.conversations import ConversationStore
from storage.db import create_sessionmaker
from storage.demo import fictitious_personnummer
from storage.models import AuditEntry, BotStateItem, KaaCase, Staff
from storage.sessions import TurnUnit

TODAY = date(2026, 3, 18)
SYSTEM = Actor(label="test", municipality_id=None, role="system")


@dataclass
class World:
    cases: CaseService
    anna: Actor
    bo: Actor
    chef: Actor
    admin: Actor
    other: Actor  # a coordinator of another municipality
    municipality_id: int

    def scoped(self, label: str = "cli") -> Actor:
        return Actor(label, self.municipality_id, "system")


@pytest.fixture
async def world(sessionmaker) -> World:
    cases = CaseService(sessionmaker)
    a = await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    people = [
        await cases.add_staff(SYSTEM, f"aad-{name}", full, role, code)
        for name, full, role, code in (
            ("anna", "Anna Andersson", "coordinator", "0580"),
            ("bo", "Bo Berg", "coordinator", "0580"),
            ("chef", "Cecilia Chef", "manager", "0580"),
            ("admin", "Ada Admin", "admin", "0580"),
            ("other", "Olle Annanstans", "coordinator", "0682"),
        )
    ]
    return World(cases, *(actor_for(member) for member in people), municipality_id=a.id)


async def register(world: World, serial: int, holder: Actor | None) -> int:
    registrar = holder or Actor("import", world.municipality_id, "coordinator")
    result = await world.cases.register_youth(
        registrar,
        RegistrationInput(
            personnummer=fictitious_personnummer(date(2008, 5, 1 + serial), serial, "kvinna"),
            first_name="Elin",
            last_name="Test" + "abcdefghij"[serial],
            registered_on=TODAY,
            registration_reason="avbrott_nationellt",
            source="gymnasieskola",
        ),
        today=TODAY,
    )
    return result.case_id


async def holder_of(sessionmaker, case_id: int) -> int | None:
    async with sessionmaker() as session:
        return await session.scalar(select(KaaCase.assigned_staff_id).where(KaaCase.id == case_id))


async def moves(sessionmaker) -> list[tuple[int | None, int | None, str | None]]:
    async with sessionmaker() as session:
        rows = await session.execute(
            select(AuditEntry.case_id, AuditEntry.staff_id, AuditEntry.detail)
            .where(AuditEntry.action == "case.assign")
            .order_by(AuditEntry.id)
        )
        return [tuple(row) for row in rows]


async def test_a_coordinator_takes_an_unassigned_case_once(world, sessionmaker):
    case_id = await register(world, 1, None)
    await world.cases.take(world.anna, case_id)
    assert await holder_of(sessionmaker, case_id) == world.anna.staff_id
    with pytest.raises(CaseError, match="redan ditt"):
        await world.cases.take(world.anna, case_id)
    with pytest.raises(Taken, match="Anna Andersson har redan ärende"):
        await world.cases.take(world.bo, case_id)
    assert await moves(sessionmaker) == [
        (case_id, world.anna.staff_id, f"personal {world.anna.staff_id}")
    ]


async def test_managers_assign_but_take_nothing(world, sessionmaker):
    case_id = await register(world, 1, None)
    with pytest.raises(NotAllowed, match="chef"):
        await world.cases.take(world.chef, case_id)
    await world.cases.assign(world.chef, case_id, world.bo.staff_id)
    # A manager also moves a case that has a coordinator; never to a manager.
    given_to = await world.cases.assign(world.chef, case_id, world.anna.staff_id)
    assert isinstance(given_to, Colleague) and given_to.id == world.anna.staff_id
    with pytest.raises(CaseError, match="chef och kan inte ha egna"):
        await world.cases.assign(world.chef, case_id, world.chef.staff_id)
    assert await holder_of(sessionmaker, case_id) == world.anna.staff_id
    assert [staff for _case, staff, _detail in await moves(sessionmaker)] == [
        world.chef.staff_id,
        world.chef.staff_id,
    ]


async def test_a_coordinator_shares_out_the_intake_but_not_a_colleagues_case(world, sessionmaker):
    unassigned = await register(world, 1, None)
    annas = await register(world, 2, world.anna)
    await world.cases.assign(world.bo, unassigned, world.anna.staff_id)
    with pytest.raises(Taken, match="Anna Andersson"):
        await world.cases.assign(world.bo, annas, world.bo.staff_id)
    # Her own case Anna may give to Bo.
    await world.cases.assign(world.anna, annas, world.bo.staff_id)
    assert await holder_of(sessionmaker, annas) == world.bo.staff_id


async def test_assigning_stays_in_the_municipality_and_on_active_cases(world, sessionmaker):
    case_id = await register(world, 1, None)
    with pytest.raises(NotFound):
        await world.cases.assign(world.other, case_id, world.other.staff_id)
    with pytest.raises(NotFound):
        await world.cases.assign(world.chef, case_id, world.other.staff_id)
    with pytest.raises(NotFound):
        await world.cases.take(world.other, case_id)
    version = (await CaseQueries(world.cases.sessionmaker).view(world.anna, case_id)).version
    await world.cases.close_case(
        world.anna, case_id, Closing(TODAY, "flyttat"), version, today=TODAY
    )
    with pytest.raises(CaseError, match="avslutat"):
        await world.cases.take(world.anna, case_id)
    assert await moves(sessionmaker) == []


async def test_a_stale_version_is_refused(world, sessionmaker):
    case_id = await register(world, 1, world.anna)
    seen = (await CaseQueries(world.cases.sessionmaker).view(world.chef, case_id)).version
    await world.cases.assign(world.chef, case_id, world.bo.staff_id, seen)
    with pytest.raises(StaleCase):
        await world.cases.assign(world.chef, case_id, world.anna.staff_id, seen)
    assert await holder_of(sessionmaker, case_id) == world.bo.staff_id


async def test_two_coordinators_taking_the_same_case_at_once(world, engine, sessionmaker):
    """Anna's take is written but not committed when Bo's starts: Bo waits for her (the
    row lock on PostgreSQL, the write lock on SQLite), then is told she has it."""
    case_id = await register(world, 1, None)
    turns = create_sessionmaker(engine, writes=True)
    async with turns() as first, first.begin():
        await CaseService(TurnUnit(first)).take(world.anna, case_id)
        second = asyncio.create_task(CaseService(sessionmaker).take(world.bo, case_id))
        await asyncio.sleep(0.5)
        assert not second.done()
    with pytest.raises(Taken, match="Anna Andersson har redan ärende"):
        await second
    assert await holder_of(sessionmaker, case_id) == world.anna.staff_id
    assert len(await moves(sessionmaker)) == 1


async def test_handing_over_all_or_chosen_cases(world, sessionmaker):
    mine = [await register(world, serial, world.anna) for serial in (1, 2, 3)]
    bos = await register(world, 4, world.bo)
    chosen = await world.cases.hand_over(world.anna, world.bo.staff_id, [mine[0], bos])
    assert chosen.moved == (mine[0],) and chosen.skipped == (bos,)
    assert chosen.to_name == "Bo Berg"
    rest = await world.cases.hand_over(world.anna, world.bo.staff_id)
    assert rest.moved == tuple(mine[1:])
    assert {await holder_of(sessionmaker, case_id) for case_id in mine} == {world.bo.staff_id}
    assert [case for case, _staff, _detail in await moves(sessionmaker)] == mine
    with pytest.raises(NotAllowed, match="egna"):
        await world.cases.hand_over(world.anna, world.anna.staff_id, giver_id=world.bo.staff_id)
    with pytest.raises(CaseError, match="samma person"):
        await world.cases.hand_over(world.bo, world.bo.staff_id)
    with pytest.raises(CaseError, match="chef"):
        await world.cases.hand_over(world.bo, world.chef.staff_id)


async def _personal_dialog(sessionmaker, aad: str, conversation_id: str) -> str:
    await ConversationStore(sessionmaker).remember(
        conversation_id=conversation_id,
        conversation_type="personal",
        reference={"channelId": "msteams", "conversation": {"id": conversation_id}},
        aad_object_id=aad,
        tenant_id=None,
        team_id=None,
    )
    key = bot_state.conversation_key("msteams", conversation_id)
    async with sessionmaker() as session, session.begin():
        await bot_state.write(session, key, {"flow": {"active": {"flow": "kontakt", "data": {}}}})
    return key


async def _state_keys(sessionmaker) -> set[str]:
    async with sessionmaker() as session:
        return set(await session.scalars(select(BotStateItem.key)))


async def test_deactivating_moves_every_active_case_and_ends_the_dialogs(world, sessionmaker):
    annas = [await register(world, serial, world.anna) for serial in (1, 2, 3)]
    closed = await register(world, 4, world.anna)
    version = (await CaseQueries(world.cases.sessionmaker).view(world.anna, closed)).version
    await world.cases.close_case(
        world.anna, closed, Closing(TODAY, "flyttat"), version, today=TODAY
    )
    annas_dialog = await _personal_dialog(sessionmaker, "aad-anna", "personal-anna")
    bos_dialog = await _personal_dialog(sessionmaker, "aad-bo", "personal-bo")

    result = await world.cases.deactivate_staff(world.scoped(), "aad-anna", "aad-bo")

    assert result.name == "Anna Andersson" and result.dialogs_ended == 1
    assert result.handover.moved == tuple(annas) and result.handover.to_name == "Bo Berg"
    assert {await holder_of(sessionmaker, case_id) for case_id in annas} == {world.bo.staff_id}
    assert await holder_of(sessionmaker, closed) == world.anna.staff_id
    assert await world.cases.staff_by_aad_id("aad-anna") is None
    assert await _state_keys(sessionmaker) == {bos_dialog} != {annas_dialog}
    async with sessionmaker() as session:
        audited = list(
            await session.execute(
                select(AuditEntry.action, AuditEntry.case_id, AuditEntry.actor)
                .where(AuditEntry.action.in_(["case.assign", "staff.deactivate"]))
                .order_by(AuditEntry.id)
            )
        )
    assert [tuple(row) for row in audited] == [
        *(("case.assign", case_id, "cli") for case_id in annas),
        ("staff.deactivate", None, "cli"),
    ]
    with pytest.raises(NotFound):
        await world.cases.deactivate_staff(world.scoped(), "aad-anna")


async def test_without_a_colleague_the_cases_become_unassigned(world, sessionmaker):
    annas = [await register(world, serial, world.anna) for serial in (1, 2)]
    result = await world.cases.deactivate_staff(world.admin, "aad-anna")
    assert result.handover.moved == tuple(annas) and result.handover.to_name is None
    assert {await holder_of(sessionmaker, case_id) for case_id in annas} == {None}
    assert [detail for _case, _staff, detail in await moves(sessionmaker)] == [
        "ingen handläggare",
        "ingen handläggare",
    ]


async def test_only_admins_of_the_municipality_deactivate_and_never_themselves(world, sessionmaker):
    case_id = await register(world, 1, world.anna)
    for actor in (world.bo, world.chef):
        with pytest.raises(NotAllowed, match="administratör"):
            await world.cases.deactivate_staff(actor, "aad-anna")
    with pytest.raises(NotFound):
        await world.cases.deactivate_staff(world.other, "aad-anna")
    with pytest.raises(CaseError, match="dig själv"):
        await world.cases.deactivate_staff(world.admin, "aad-admin")
    with pytest.raises(CaseError, match="chef"):
        await world.cases.deactivate_staff(world.admin, "aad-anna", "aad-chef")
    with pytest.raises(NotFound):
        await world.cases.deactivate_staff(world.admin, "aad-anna", "aad-other")
    # Nothing of a refused deactivation was kept.
    assert await holder_of(sessionmaker, case_id) == world.anna.staff_id
    async with sessionmaker() as session:
        anna = await session.scalar(select(Staff).where(Staff.aad_object_id == "aad-anna"))
    assert anna.active and await moves(sessionmaker) == []
