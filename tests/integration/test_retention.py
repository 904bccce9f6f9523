"""Gallring: long-closed cases lose their personal data, keep their statistics and audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.staff import actor_for
from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.cases import (
    CaseService,
    Closing,
    ContactInput,
    GuardianInput,
    MeasureEnd,
    MeasureInput,
    NotAllowed,
    PlanInput,
    RegistrationInput,
)
from storage.demo import fictitious_personnummer
from storage.history import Record
from storage.models import (
    AuditEntry,
    ContactEvent,
    Correction,
    KaaCase,
    Measure,
    MeasureRevision,
    Municipality,
    PlanRevision,
    RemovedEntry,
    Youth,
)
from storage.retention import RetentionService, RetentionSettingError
from tests.integration.capture import count

SYSTEM = Actor(label="test", municipality_id=None, role="system")
TODAY = date(2026, 3, 16)
LONG_AGO = date(2024, 9, 1)
RECENTLY = date(2025, 10, 1)
OLD_PNR = fictitious_personnummer(date(2005, 4, 9), 21, "kvinna")
SECRETS = ("Gammal", "Gallringsdotter", "Storgatan 9", "070-1234567", "Mamma Gallring", "hemlis")


async def _register(cases, actor, pnr, first, last, **extra) -> int:
    registration = await cases.register_youth(
        actor,
        RegistrationInput(
            personnummer=pnr,
            first_name=first,
            last_name=last,
            registered_on=date(2024, 1, 10),
            registration_reason="inflyttad",
            source="inflyttad",
            **extra,
        ),
        today=TODAY,
    )
    return registration.case_id


async def _close(cases, actor, case_id, on: date) -> None:
    case = await CaseQueries(cases.sessionmaker).view(actor, case_id)
    ends = tuple(
        MeasureEnd(measure.id, on, "Klar") for measure in case.measures if measure.ended_on is None
    )
    await cases.close_case(
        actor, case_id, Closing(on, "flyttat", "hemlis", ends), case.version, today=TODAY
    )


@pytest.fixture
async def world(sessionmaker):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping", {"retention_months": 12})
    await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    anna = actor_for(await cases.add_staff(SYSTEM, "aad-anna", "Anna", "coordinator", "0580"))
    nils = actor_for(await cases.add_staff(SYSTEM, "aad-nils", "Nils", "coordinator", "0682"))
    old = await _register(
        cases,
        anna,
        OLD_PNR,
        "Gammal",
        "Gallringsdotter",
        address="Storgatan 9",
        postal_code="582 22",
        city="Linköping",
        phone="070-1234567",
        guardians=(GuardianInput("Mamma Gallring", "070-7654321"),),
    )
    await cases.log_contact(
        anna,
        old,
        ContactInput(date(2024, 2, 1), "telefon", "ungdomen", "nadd", "hemlis"),
        today=TODAY,
    )
    duplicate = await cases.log_contact(
        anna,
        old,
        ContactInput(date(2024, 2, 1), "telefon", "ungdomen", "nadd", "hemlis"),
        today=TODAY,
    )
    await cases.remove_record(anna, Record.CONTACT, duplicate, "Dubblett")
    # The history keeps the old number, which gallring must take away too.
    await cases.correct_youth(anna, old, {"phone": "070-7777777"})
    await cases.revise_plan(anna, old, PlanInput(goals="hemlis mål", needs="hemlis"), today=TODAY)
    await cases.add_measure(
        anna, old, MeasureInput("praktik", description="hemlis", goal="hemlis"), today=TODAY
    )
    await _close(cases, anna, old, LONG_AGO)
    recent = await _register(
        cases, anna, fictitious_personnummer(date(2006, 1, 2), 22, "man"), "Nyligen", "Stängd"
    )
    await _close(cases, anna, recent, RECENTLY)
    active = await _register(
        cases, anna, fictitious_personnummer(date(2007, 1, 2), 23, "man"), "Aktiv", "Ung"
    )
    await cases.correct_youth(anna, active, {"email": "aktiv@example.se"})
    back_pnr = fictitious_personnummer(date(2006, 6, 6), 24, "kvinna")
    first_period = await _register(cases, anna, back_pnr, "Tillbaka", "Igen")
    await _close(cases, anna, first_period, LONG_AGO)
    registration = await cases.register_youth(
        anna,
        RegistrationInput(back_pnr, "Tillbaka", "Igen", date(2026, 1, 5), "inflyttad", "inflyttad"),
        new_period=True,
        today=TODAY,
    )
    elsewhere = await _register(cases, nils, OLD_PNR, "Gammal", "Gallringsdotter")
    await _close(cases, nils, elsewhere, LONG_AGO)
    ids = {
        "old": old,
        "recent": recent,
        "active": active,
        "first_period": first_period,
        "second_period": registration.case_id,
        "elsewhere": elsewhere,
    }
    return cases, anna, nils, ids


async def _youth_of(sessionmaker, case_id: int) -> Youth:
    async with sessionmaker() as session:
        case = await session.scalar(
            select(KaaCase)
            .where(KaaCase.id == case_id)
            .options(selectinload(KaaCase.youth).selectinload(Youth.guardians))
        )
        return case.youth


async def _audit_count(sessionmaker, case_id: int) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.case_id == case_id)
        )


async def test_only_cases_closed_longer_than_the_retention_are_anonymised(world, sessionmaker):
    _cases, anna, _nils, ids = world
    audit_before = await _audit_count(sessionmaker, ids["old"])
    results = await RetentionService(sessionmaker).gallra(SYSTEM, TODAY)
    by_code = {result.municipality_code: result for result in results}
    assert by_code["0580"].case_ids == (ids["old"],)
    assert by_code["0580"].youth_count == 1
    assert by_code["0682"].retention_months is None and by_code["0682"].case_ids == ()

    youth = await _youth_of(sessionmaker, ids["old"])
    assert youth.anonymised_on == TODAY
    assert youth.personnummer != OLD_PNR and not youth.personnummer.isdigit()
    assert (youth.address, youth.postal_code, youth.city, youth.phone) == (None,) * 4
    assert youth.guardians == []
    assert youth.birth_date == date(2005, 1, 1) and youth.gender == "kvinna"
    for kept in ("recent", "active", "first_period", "elsewhere"):
        assert (await _youth_of(sessionmaker, ids[kept])).anonymised_on is None

    async with sessionmaker() as session:
        case = await session.get(KaaCase, ids["old"])
        assert case.status == "closed" and case.deregistration_reason == "flyttat"
        assert case.registration_reason == "inflyttad" and case.deregistration_note is None
        contact = await session.scalar(
            select(ContactEvent).where(ContactEvent.case_id == ids["old"])
        )
        assert contact.channel == "telefon" and contact.note is None
        measure = await session.scalar(select(Measure).where(Measure.case_id == ids["old"]))
        assert measure.measure_type == "praktik" and measure.description is None
        assert measure.end_reason is None
        revisions = await session.scalar(
            select(func.count())
            .select_from(MeasureRevision)
            .where(MeasureRevision.measure_id == measure.id)
        )
        assert revisions == 0
        plan = await session.scalar(select(PlanRevision).where(PlanRevision.case_id == ids["old"]))
        assert plan.goals == "" and plan.needs is None
        gallring = await session.scalar(
            select(AuditEntry).where(
                AuditEntry.case_id == ids["old"], AuditEntry.action == "case.gallring"
            )
        )
        assert gallring is not None and gallring.youth_id == youth.id
        dumped = " ".join(
            str(value)
            for row in (youth, case, contact, measure, plan)
            for value in vars(row).values()
        )
    for secret in (*SECRETS, OLD_PNR):
        assert secret not in dumped
    assert await count(sessionmaker, Correction, youth_id=youth.id) == 0
    assert await count(sessionmaker, RemovedEntry, case_id=ids["old"]) == 0
    assert await count(sessionmaker, Correction) > 0  # another youth's history is kept
    assert await _audit_count(sessionmaker, ids["old"]) == audit_before + 1
    queries = CaseQueries(sessionmaker)
    assert await queries.by_personnummer(anna, OLD_PNR) == []
    assert await queries.by_name(anna, "Gammal Gallringsdotter", active_only=False) == []


async def test_a_second_run_finds_nothing_more(world, sessionmaker):
    service = RetentionService(sessionmaker)
    await service.gallra(SYSTEM, TODAY)
    again = await service.gallra(SYSTEM, TODAY, municipality_code="0580")
    assert again[0].case_ids == ()


async def test_dry_run_changes_nothing(world, sessionmaker):
    _cases, _anna, _nils, ids = world
    audit_before = await _audit_count(sessionmaker, ids["old"])
    results = await RetentionService(sessionmaker).gallra(SYSTEM, TODAY, dry_run=True)
    assert results[0].case_ids == (ids["old"],)
    youth = await _youth_of(sessionmaker, ids["old"])
    assert youth.personnummer == OLD_PNR and youth.anonymised_on is None
    assert len(youth.guardians) == 1
    assert await _audit_count(sessionmaker, ids["old"]) == audit_before


async def test_without_a_setting_nothing_is_removed(world, sessionmaker):
    _cases, _anna, _nils, ids = world
    results = await RetentionService(sessionmaker).gallra(SYSTEM, TODAY, municipality_code="0682")
    assert [(r.municipality_code, r.case_ids) for r in results] == [("0682", ())]
    assert (await _youth_of(sessionmaker, ids["elsewhere"])).personnummer == OLD_PNR


async def test_a_bad_setting_removes_nothing_and_says_why(world, sessionmaker):
    _cases, _anna, _nils, ids = world
    async with sessionmaker() as session, session.begin():
        municipality = await session.scalar(select(Municipality).where(Municipality.code == "0580"))
        municipality.settings = {"retention_months": "ett år"}
    results = await RetentionService(sessionmaker).gallra(SYSTEM, TODAY, municipality_code="0580")
    assert results[0].error and "månader" in results[0].error
    assert (await _youth_of(sessionmaker, ids["old"])).anonymised_on is None


async def test_admins_gallra_their_own_municipality_only(world, sessionmaker):
    cases, anna, _nils, ids = world
    admin = actor_for(await cases.add_staff(SYSTEM, "aad-adm", "Ada", "admin", "0682"))
    results = await RetentionService(sessionmaker).gallra(admin, TODAY)
    assert [result.municipality_code for result in results] == ["0682"]
    assert (await _youth_of(sessionmaker, ids["old"])).anonymised_on is None
    with pytest.raises(NotAllowed):
        await RetentionService(sessionmaker).gallra(anna, TODAY)


def test_cli_dry_run_then_gallring(world, run):
    _cases, _anna, _nils, ids = world
    dry = run("gallring", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "skulle gallras" in dry.output and f"ärende {ids['old']}" in dry.output
    assert "Nässjö (0682): ingen gallringstid" in dry.output
    real = run("gallring", "--municipality", "0580")
    assert real.exit_code == 0, real.output
    assert "gallrades" in real.output and "Nässjö" not in real.output
    assert "inget att gallra" in run("gallring", "--municipality", "0580").output
    unknown = run("gallring", "--municipality", "9998")
    assert unknown.exit_code == 1 and "ingen kommun" in unknown.output


async def test_the_retention_setting_is_set_by_the_municipality_admin(world, sessionmaker):
    cases, anna, _nils, _ids = world
    service = RetentionService(sessionmaker)
    admin = actor_for(await cases.add_staff(SYSTEM, "aad-adm", "Ada", "admin", "0682"))
    updated = await service.set_retention(admin, "0682", 36)
    assert updated.settings == {"retention_months": 36}
    with pytest.raises(NotAllowed):
        await service.set_retention(admin, "0580", 1)
    with pytest.raises(NotAllowed):
        await service.set_retention(anna, "0580", 1)
    with pytest.raises(RetentionSettingError):
        await service.set_retention(admin, "0682", 0)
    assert (await service.set_retention(admin, "0682", None)).settings == {}
    async with sessionmaker() as session:
        entries = list(
            await session.scalars(
                select(AuditEntry.detail).where(AuditEntry.action == "municipality.retention")
            )
        )
    assert entries == ["kommunkod 0682, 36 månader", "kommunkod 0682, ingen gallringstid"]


def test_cli_sets_the_retention(world, run):
    _cases, _anna, _nils, ids = world
    assert "inget att gallra" not in run("gallring", "--municipality", "0682").output
    done = run("gallringstid", "--municipality", "0682", "--months", "12")
    assert done.exit_code == 0 and "12 månader" in done.output
    result = run("gallring", "--municipality", "0682")
    assert f"ärende {ids['elsewhere']}" in result.output
    assert run("gallringstid", "--municipality", "0682").exit_code == 2
    off = run("gallringstid", "--municipality", "0682", "--off")
    assert off.exit_code == 0 and "ingen gallringstid" in off.output
    bad = run("gallringstid", "--municipality", "0682", "--months", "0")
    assert bad.exit_code == 1 and "minst 1" in bad.output
