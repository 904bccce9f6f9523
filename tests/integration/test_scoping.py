"""A youth in municipality B is invisible to staff of A: every lookup, report and reminder."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.staff import actor_for
from scheduler.planning import plan_day
from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.cases import (
    CaseService,
    Closing,
    ContactInput,
    HomeVisitInput,
    MeasureInput,
    NotFound,
    PlanInput,
    RegistrationInput,
)
from storage.demo import fictitious_personnummer
from storage.models import AuditEntry, Youth
from storage.registerutdrag import build_registerutdrag
from storage.reminders import ReminderRef, ReminderStore
from storage.reports.granskning_cases import load_grades
from storage.reports.kpi import key_figures
from storage.reports.period import parse_period
from storage.reports.scb import scb_file
from storage.routine import RoutineSettings
from storage.scb.calendar import ScbCalendar
from tests.integration.teams import USER_AAD, say

SYSTEM = Actor(label="test", municipality_id=None, role="system")
TODAY = date(2026, 3, 16)
B_PNR = fictitious_personnummer(date(2008, 2, 29), 31, "kvinna")
B_FIRST, B_LAST = "Bodil", "Bortastad"


@pytest.fixture
async def world(sessionmaker):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    anna = actor_for(await cases.add_staff(SYSTEM, "aad-anna", "Anna", "coordinator", "0580"))
    chef = actor_for(await cases.add_staff(SYSTEM, "aad-chef", "Chef", "manager", "0580"))
    admin = actor_for(await cases.add_staff(SYSTEM, "aad-adm", "Ada", "admin", "0580"))
    bert = actor_for(await cases.add_staff(SYSTEM, "aad-bert", "Bert", "coordinator", "0682"))
    registration = await cases.register_youth(
        bert,
        RegistrationInput(
            personnummer=B_PNR,
            first_name=B_FIRST,
            last_name=B_LAST,
            registered_on=date(2026, 1, 12),
            registration_reason="inflyttad",
            source="inflyttad",
        ),
        today=TODAY,
    )
    b_case = registration.case_id
    await cases.log_contact(
        bert, b_case, ContactInput(date(2026, 1, 13), "telefon", "ungdomen", "nadd"), today=TODAY
    )
    measure = await cases.add_measure(bert, b_case, MeasureInput("praktik"), today=TODAY)
    return cases, anna, chef, admin, bert, b_case, measure


def _staff_of_a(world):
    _cases, anna, chef, admin, _bert, _b_case, _measure = world
    return [anna, chef, admin]


async def _audited_case_ids(sessionmaker, actor: Actor) -> set[int]:
    async with sessionmaker() as session:
        found = await session.scalars(
            select(AuditEntry.case_id).where(AuditEntry.staff_id == actor.staff_id)
        )
        return {case_id for case_id in found if case_id is not None}


async def test_case_api_reads_and_writes_do_not_reach_another_municipality(world):
    cases, anna, _chef, admin, _bert, b_case, measure = world
    attempts = [
        cases.get_case(anna, b_case),
        cases.get_case(admin, b_case),
        cases.log_contact(
            anna, b_case, ContactInput(TODAY, "telefon", "ungdomen", "nadd"), today=TODAY
        ),
        cases.record_occupation(anna, b_case, "arbete", TODAY, today=TODAY),
        cases.revise_plan(anna, b_case, PlanInput(goals="Mål"), today=TODAY),
        cases.add_measure(anna, b_case, MeasureInput("praktik"), today=TODAY),
        cases.end_measure(anna, measure, TODAY, "Klar", today=TODAY),
        cases.plan_home_visit(
            anna, b_case, HomeVisitInput(TODAY, anna.staff_id, None), today=TODAY
        ),
        cases.assign(anna, b_case, anna.staff_id, 1),
        cases.close_case(anna, b_case, Closing(TODAY, "flyttat"), 3, today=TODAY),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            await attempt


async def test_lookup_by_personnummer_finds_nothing_in_another_municipality(world, sessionmaker):
    for actor in _staff_of_a(world):
        assert await CaseQueries(sessionmaker).by_personnummer(actor, B_PNR) == []
        with pytest.raises(NotFound):
            await build_registerutdrag(sessionmaker, actor, B_PNR, TODAY)
        assert await _audited_case_ids(sessionmaker, actor) == set()


async def test_registering_the_same_personnummer_makes_a_separate_youth(world, sessionmaker):
    cases, anna, _chef, _admin, _bert, b_case, _measure = world
    mine = await cases.register_youth(
        anna,
        RegistrationInput(
            personnummer=B_PNR,
            first_name="Annan",
            last_name="Person",
            registered_on=TODAY,
            registration_reason="inflyttad",
            source="inflyttad",
        ),
        today=TODAY,
    )
    assert mine.created and mine.case_id != b_case
    async with sessionmaker() as session:
        youths = list(await session.scalars(select(Youth).where(Youth.personnummer == B_PNR)))
    assert len(youths) == 2


@pytest.mark.parametrize(
    "query", [f"{B_FIRST} {B_LAST}", B_FIRST, B_LAST, "Bodil Bortastadt", "bodl bortastad"]
)
async def test_fuzzy_name_search_finds_nothing_in_another_municipality(world, sessionmaker, query):
    queries = CaseQueries(sessionmaker)
    _cases, _anna, _chef, _admin, bert, b_case, _measure = world
    assert [brief.case_id for brief in await queries.by_name(bert, query)] == [b_case]
    for actor in _staff_of_a(world):
        assert await queries.by_name(actor, query, active_only=False) == []
        assert await queries.recent(actor) == []
        assert b_case not in [name.case_id for name in await queries.names(actor)]
        assert await queries.by_ids(actor, [b_case]) == []
        with pytest.raises(NotFound):
            await queries.brief(actor, b_case)


async def test_reports_count_and_list_only_their_own_municipality(world, sessionmaker):
    _cases, _anna, chef, _admin, bert, b_case, _measure = world
    period = parse_period("2026H1")
    mine = await key_figures(sessionmaker, chef, period)
    theirs = await key_figures(sessionmaker, bert, period)
    assert mine.municipality_code == "0580" and theirs.municipality_code == "0682"
    assert mine.get("i_kaa").total == 0
    assert theirs.get("i_kaa").total == 1
    reporting = await ScbCalendar(sessionmaker).period("2026H1")
    scb = await scb_file(sessionmaker, chef, reporting)
    assert scb.rows == [] and scb.problems == []
    assert B_PNR not in scb.to_bytes().decode("latin-1", errors="replace")
    grades = await load_grades(sessionmaker, chef, RoutineSettings(), TODAY)
    assert grades == []
    assert await _audited_case_ids(sessionmaker, chef) == set()
    assert len(await load_grades(sessionmaker, bert, RoutineSettings(), TODAY)) == 1
    assert b_case in await _audited_case_ids(sessionmaker, bert)


async def test_reminders_of_another_municipality_cannot_be_touched(world, sessionmaker):
    _cases, anna, _chef, _admin, _bert, b_case, _measure = world
    reminder = ReminderRef(
        key=f"followup:{b_case}:2026-02-13", kind="followup", case_id=b_case, due_on=TODAY
    )
    store = ReminderStore(sessionmaker)
    with pytest.raises(NotFound):
        await store.mark_done(anna, reminder)
    with pytest.raises(NotFound):
        await store.snooze(anna, reminder, date(2026, 4, 1))


async def test_digests_go_only_to_staff_of_the_case_municipality(world, sessionmaker):
    _cases, anna, chef, admin, bert, b_case, _measure = world
    plan = await plan_day(sessionmaker, TODAY)
    a_staff = {anna.staff_id, chef.staff_id, admin.staff_id}
    about_b = [a for a in plan.assignments() if a.reminder.case_id == b_case]
    assert about_b, "the case in B should have something due"
    assert all(a.staff_id == bert.staff_id for a in about_b)
    for assignment in plan.assignments():
        if assignment.staff_id in a_staff:
            assert assignment.reminder.case_id != b_case
            assert assignment.municipality_id == anna.municipality_id
    only_a = await plan_day(sessionmaker, TODAY, [anna.municipality_id])
    assert all(a.reminder.case_id != b_case for a in only_a.assignments())


async def test_a_case_cannot_be_assigned_to_staff_of_another_municipality(world):
    cases, anna, _chef, _admin, bert, _b_case, _measure = world
    with pytest.raises(NotFound):
        await cases.register_youth(
            anna,
            RegistrationInput(
                personnummer=fictitious_personnummer(date(2008, 3, 3), 32, "man"),
                first_name="Adam",
                last_name="Hemma",
                registered_on=TODAY,
                registration_reason="inflyttad",
                source="inflyttad",
                assigned_staff_id=bert.staff_id,
            ),
            today=TODAY,
        )


async def test_chat_lookups_by_name_and_personnummer_do_not_cross(
    world, start_bot, connector, sessionmaker
):
    cases, *_rest, b_case, _measure = world
    await cases.add_staff(SYSTEM, USER_AAD, "Anna Chatt", "coordinator", "0580")
    client = await start_bot(demo=False)
    by_name = (f"{B_FIRST} {B_LAST}", B_LAST, "Bodil Bortastadt")
    by_number = (B_PNR, f"{B_PNR[2:8]}-{B_PNR[8:]}", str(b_case))
    for typed, unseen in [(q, (B_PNR, B_PNR[2:])) for q in by_name] + [
        (q, (B_FIRST, B_LAST)) for q in by_number
    ]:
        await say(client, connector, "avbryt")
        before = len(connector.sent)
        replies = await say(client, connector, f"visa {typed}")
        shown = " ".join(replies) + " ".join(
            str(activity.get("attachments")) for activity in connector.sent[before:]
        )
        assert "hittar" in shown.lower() or "ingen ungdom" in shown.lower(), (typed, replies)
        for secret in (*unseen, f"ärende {b_case}", f"Ärende {b_case}"):
            assert secret not in shown, (typed, secret)
    chatter = await cases.staff_by_aad_id(USER_AAD)
    async with sessionmaker() as session:
        read = await session.scalars(
            select(AuditEntry.case_id).where(AuditEntry.staff_id == chatter.id)
        )
        assert [case_id for case_id in read if case_id is not None] == []
