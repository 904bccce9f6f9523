"""The case API on both databases: rules, scoping, concurrency and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from storage.audit import Actor, AuditLogImmutable
from storage.case_queries import CaseQueries
from storage.cases import (
    CaseError,
    CaseService,
    Closing,
    ContactInput,
    MeasureEnd,
    MeasureInput,
    NotAllowed,
    NotFound,
    PlanInput,
    RegistrationInput,
    StaleCase,
)
from storage.demo import fictitious_personnummer
from storage.models import AuditEntry, KaaCase, MeasureRevision, PlanRevision

TODAY = date(2026, 3, 18)
SYSTEM = Actor(label="test", municipality_id=None, role="system")


@pytest.fixture
async def world(sessionmaker):
    cases = CaseService(sessionmaker)
    a = await cases.add_municipality(SYSTEM, "0580", "Linköping")
    b = await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    anna = await cases.add_staff(SYSTEM, "aad-anna", "Anna", "coordinator", "0580")
    chef = await cases.add_staff(SYSTEM, "aad-chef", "Chef", "manager", "0580")
    bert = await cases.add_staff(SYSTEM, "aad-bert", "Bert", "coordinator", "0682")

    def actor(staff, municipality):
        return Actor(f"personal:{staff.id}", municipality.id, staff.role, staff.id)

    return cases, actor(anna, a), actor(chef, a), actor(bert, b)


def registration(serial: int = 1, **changes) -> RegistrationInput:
    values = dict(
        personnummer=fictitious_personnummer(date(2008, 5, 17), serial, "kvinna"),
        first_name="Elin",
        last_name="Testsson",
        registered_on=TODAY,
        registration_reason="avbrott_nationellt",
        source="gymnasieskola",
    )
    values.update(changes)
    return RegistrationInput(**values)


async def audit_actions(sessionmaker, case_id: int) -> list[str]:
    async with sessionmaker() as session:
        rows = await session.scalars(
            select(AuditEntry.action).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)
        )
        return list(rows)


async def test_register_writes_case_and_audit(world, sessionmaker):
    cases, anna, _chef, _bert = world
    result = await cases.register_youth(anna, registration(), today=TODAY)
    assert result.created
    case = await CaseQueries(cases.sessionmaker).view(anna, result.case_id)
    assert case.youth.gender == "kvinna"
    assert case.assigned_staff_id == anna.staff_id
    assert await audit_actions(sessionmaker, result.case_id) == ["case.register", "case.read"]


async def test_same_personnummer_opens_the_existing_case(world):
    cases, anna, _chef, _bert = world
    first = await cases.register_youth(anna, registration(), today=TODAY)
    again = await cases.register_youth(anna, registration(first_name="Annan"), today=TODAY)
    assert not again.created
    assert again.case_id == first.case_id


async def test_closed_case_offers_new_period(world):
    cases, anna, _chef, _bert = world
    first = await cases.register_youth(anna, registration(), today=TODAY)
    case = await CaseQueries(cases.sessionmaker).view(anna, first.case_id)
    await cases.close_case(
        anna, first.case_id, Closing(TODAY, "flyttat"), case.version, today=TODAY
    )
    found = await cases.register_youth(anna, registration(), today=TODAY)
    assert (found.created, found.closed_case_id) == (False, first.case_id)
    second = await cases.register_youth(anna, registration(), new_period=True, today=TODAY)
    assert second.created and second.case_id != first.case_id


async def test_invalid_personnummer_is_refused(world):
    cases, anna, _chef, _bert = world
    with pytest.raises(ValueError, match="Kontrollsiffran"):
        await cases.register_youth(anna, registration(personnummer="20080517-1235"), today=TODAY)


async def test_stale_update_is_refused_not_overwritten(world, sessionmaker):
    cases, anna, _chef, _bert = world
    result = await cases.register_youth(anna, registration(), today=TODAY)
    seen = (await CaseQueries(cases.sessionmaker).view(anna, result.case_id)).version
    await cases.assign(anna, result.case_id, anna.staff_id, seen)
    with pytest.raises(StaleCase, match="ändrats av någon annan"):
        await cases.close_case(anna, result.case_id, Closing(TODAY, "flyttat"), seen, today=TODAY)
    async with sessionmaker() as session:
        assert (await session.get(KaaCase, result.case_id)).status == "active"


async def test_closing_needs_reason_text_for_other(world):
    cases, anna, _chef, _bert = world
    result = await cases.register_youth(anna, registration(), today=TODAY)
    version = (await CaseQueries(cases.sessionmaker).view(anna, result.case_id)).version
    with pytest.raises(CaseError, match="annan"):
        await cases.close_case(
            anna, result.case_id, Closing(TODAY, "annan", note=" "), version, today=TODAY
        )
    with pytest.raises(CaseError, match="Okänt värde"):
        await cases.close_case(anna, result.case_id, Closing(TODAY, ""), version, today=TODAY)


async def test_closing_requires_open_measures_ended(world, sessionmaker):
    cases, anna, _chef, _bert = world
    result = await cases.register_youth(anna, registration(), today=TODAY)
    measure = await cases.add_measure(
        anna, result.case_id, MeasureInput(measure_type="praktik", starts_on=TODAY), today=TODAY
    )
    version = (await CaseQueries(cases.sessionmaker).view(anna, result.case_id)).version
    with pytest.raises(CaseError, match="praktik"):
        await cases.close_case(
            anna, result.case_id, Closing(TODAY, "flyttat"), version, today=TODAY
        )
    end = MeasureEnd(measure_id=measure, ended_on=TODAY, reason="Ärendet avslutas.")
    await cases.close_case(
        anna, result.case_id, Closing(TODAY, "flyttat", measure_ends=(end,)), version, today=TODAY
    )
    case = await CaseQueries(cases.sessionmaker).view(anna, result.case_id)
    assert case.status == "closed"
    assert case.measures[0].end_reason == "Ärendet avslutas."
    async with sessionmaker() as session:
        revisions = await session.scalars(
            select(MeasureRevision.revision).where(MeasureRevision.measure_id == measure)
        )
        assert sorted(revisions) == [1, 2]


async def test_measure_and_plan_keep_history(world, sessionmaker):
    cases, anna, _chef, _bert = world
    case_id = (await cases.register_youth(anna, registration(), today=TODAY)).case_id
    measure = await cases.add_measure(anna, case_id, MeasureInput(measure_type="syv"), today=TODAY)
    await cases.evaluate_measure(anna, measure, TODAY, "Sökt utbildning", "Positiv", today=TODAY)
    await cases.end_measure(anna, measure, TODAY, "Klar", today=TODAY)
    assert await cases.revise_plan(anna, case_id, PlanInput(goals="Studera"), today=TODAY) == 1
    assert await cases.revise_plan(anna, case_id, PlanInput(goals="Arbeta"), today=TODAY) == 2
    async with sessionmaker() as session:
        snapshots = list(
            await session.scalars(
                select(MeasureRevision.snapshot).order_by(MeasureRevision.revision)
            )
        )
        plans = list(await session.scalars(select(PlanRevision.goals)))
    assert [s["end_reason"] for s in snapshots] == [None, None, "Klar"]
    assert snapshots[1]["evaluation_effect"] == "Positiv"
    assert sorted(plans) == ["Arbeta", "Studera"]
    with pytest.raises(CaseError, match="redan avslutad"):
        await cases.end_measure(anna, measure, TODAY, "Igen", today=TODAY)


async def test_other_municipality_cannot_see_or_change(world):
    cases, anna, _chef, bert = world
    case_id = (await cases.register_youth(anna, registration(), today=TODAY)).case_id
    with pytest.raises(NotFound):
        await CaseQueries(cases.sessionmaker).view(bert, case_id)
    with pytest.raises(NotFound):
        await cases.log_contact(
            bert, case_id, ContactInput(TODAY, "telefon", "ungdomen", "nadd"), today=TODAY
        )


async def test_manager_reads_but_cannot_write(world):
    cases, anna, chef, _bert = world
    case_id = (await cases.register_youth(anna, registration(), today=TODAY)).case_id
    assert (await CaseQueries(cases.sessionmaker).view(chef, case_id)).case_id == case_id
    with pytest.raises(NotAllowed):
        await cases.log_contact(
            chef, case_id, ContactInput(TODAY, "sms", "ungdomen", "nadd"), today=TODAY
        )


async def test_every_write_is_audited(world, sessionmaker):
    cases, anna, _chef, _bert = world
    case_id = (await cases.register_youth(anna, registration(), today=TODAY)).case_id
    await cases.log_contact(
        anna, case_id, ContactInput(TODAY, "telefon", "ungdomen", "nadd"), today=TODAY
    )
    await cases.record_occupation(anna, case_id, "arbete", TODAY, 50, today=TODAY)
    await cases.record_consent(anna, case_id, TODAY, "Arbetsförmedlingen", today=TODAY)
    assert await audit_actions(sessionmaker, case_id) == [
        "case.register",
        "contact.log",
        "occupation.record",
        "consent.record",
    ]
    async with sessionmaker() as session:
        details = list(await session.scalars(select(AuditEntry.detail)))
    assert not any("Elin" in (d or "") or "20080517" in (d or "") for d in details)


async def test_audit_entries_cannot_be_changed(world, sessionmaker):
    cases, anna, _chef, _bert = world
    await cases.register_youth(anna, registration(), today=TODAY)
    async with sessionmaker() as session:
        entry = await session.scalar(select(AuditEntry).limit(1))
        entry.action = "tampered"
        with pytest.raises(AuditLogImmutable):
            await session.flush()
    async with sessionmaker() as session:
        assert (
            await session.scalar(select(func.count()).where(AuditEntry.action == "tampered")) == 0
        )
