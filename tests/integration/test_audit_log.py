"""The audit log: every read and write is recorded, it can be listed, and nothing changes it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.staff import actor_for
from storage.audit import Actor, AuditLogImmutable
from storage.audit_trail import AuditTrail
from storage.case_queries import CaseQueries
from storage.cases import CaseService, ContactInput, NotAllowed, NotFound, RegistrationInput
from storage.demo import fictitious_personnummer
from storage.models import AuditEntry

SYSTEM = Actor(label="test", municipality_id=None, role="system")
TODAY = date(2026, 3, 16)
PNR = fictitious_personnummer(date(2008, 5, 17), 12, "kvinna")


@pytest.fixture
async def world(sessionmaker):
    cases = CaseService(sessionmaker)
    await cases.add_municipality(SYSTEM, "0580", "Linköping")
    await cases.add_municipality(SYSTEM, "0682", "Nässjö")
    anna = actor_for(await cases.add_staff(SYSTEM, "aad-anna", "Anna Ek", "coordinator", "0580"))
    admin = actor_for(await cases.add_staff(SYSTEM, "aad-adm", "Ada Admin", "admin", "0580"))
    other_admin = actor_for(await cases.add_staff(SYSTEM, "aad-nadm", "Nils", "admin", "0682"))
    registration = await cases.register_youth(
        anna,
        RegistrationInput(
            personnummer=PNR,
            first_name="Elin",
            last_name="Loggsson",
            registered_on=TODAY,
            registration_reason="inflyttad",
            source="inflyttad",
        ),
        today=TODAY,
    )
    case_id = registration.case_id
    await cases.log_contact(
        anna,
        case_id,
        ContactInput(TODAY, "telefon", "ungdomen", "nadd", "Pratade om skolan"),
        today=TODAY,
    )
    await CaseQueries(cases.sessionmaker).view(anna, case_id)
    return cases, case_id, anna, admin, other_admin


async def _count(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(AuditEntry))


async def test_reads_and_writes_record_staff_time_action_and_case(world, sessionmaker):
    _cases, case_id, anna, _admin, _other = world
    async with sessionmaker() as session:
        entries = list(
            await session.scalars(
                select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)
            )
        )
    assert [entry.action for entry in entries] == ["case.register", "contact.log", "case.read"]
    for entry in entries:
        assert entry.staff_id == anna.staff_id
        assert entry.at is not None
        assert entry.municipality_id == anna.municipality_id
        for secret in ("Elin", "Loggsson", PNR, "skolan"):
            assert secret not in (entry.detail or "")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'nothing happened'",
        "UPDATE audit_log SET detail = NULL WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ],
)
async def test_raw_sql_cannot_change_or_delete_entries(world, engine, sessionmaker, statement):
    before = await _count(sessionmaker)
    with pytest.raises(DBAPIError) as refused:
        async with engine.begin() as connection:
            await connection.execute(text(statement))
    assert "append-only" in str(refused.value)
    assert await _count(sessionmaker) == before
    async with sessionmaker() as session:
        actions = set(await session.scalars(select(AuditEntry.action)))
    assert "nothing happened" not in actions


async def test_emptying_the_table_is_refused(world, engine, sessionmaker, database_url):
    # SQLite has no TRUNCATE; its fast way to empty a table is DELETE without WHERE.
    statement = (
        "TRUNCATE audit_log" if database_url.startswith("postgresql") else "DELETE FROM audit_log"
    )
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as connection:
            await connection.execute(text(statement))
    assert await _count(sessionmaker) > 0


async def test_new_entries_can_still_be_added(world, sessionmaker):
    cases, case_id, anna, _admin, _other = world
    before = await _count(sessionmaker)
    await CaseQueries(cases.sessionmaker).view(anna, case_id)
    assert await _count(sessionmaker) == before + 1


async def test_the_orm_refuses_too(world, sessionmaker):
    async with sessionmaker() as session:
        entry = await session.scalar(select(AuditEntry).limit(1))
        entry.action = "changed"
        with pytest.raises(AuditLogImmutable):
            await session.flush()


async def test_trail_for_a_personnummer_lists_the_case_and_is_itself_recorded(world, sessionmaker):
    _cases, case_id, _anna, admin, _other = world
    trail = AuditTrail(sessionmaker)
    ten_digits = PNR[2:8] + "-" + PNR[8:]
    lines = await trail.for_personnummer(admin, ten_digits, "0580", TODAY)
    actions = [line.action for line in lines]
    assert actions[:4] == ["youth.create", "case.register", "contact.log", "case.read"]
    assert {line.case_id for line in lines[1:]} == {case_id}
    assert lines[1].staff_name == "Anna Ek" and lines[1].staff_aad_id == "aad-anna"
    again = await trail.for_personnummer(admin, PNR, "0580", TODAY)
    assert again[-1].action == "audit.read" and again[-1].staff_aad_id == "aad-adm"


async def test_trail_for_a_staff_member(world, sessionmaker):
    _cases, _case_id, _anna, admin, _other = world
    lines = await AuditTrail(sessionmaker).for_staff(admin, "aad-anna")
    assert [line.action for line in lines] == [
        "youth.create",
        "case.register",
        "contact.log",
        "case.read",
    ]
    assert all(line.staff_aad_id == "aad-anna" for line in lines)


async def test_only_admins_of_the_municipality_read_the_trail(world, sessionmaker):
    _cases, _case_id, anna, _admin, other_admin = world
    trail = AuditTrail(sessionmaker)
    with pytest.raises(NotAllowed):
        await trail.for_staff(anna, "aad-anna")
    with pytest.raises(NotAllowed):
        await trail.for_personnummer(other_admin, PNR, "0580", TODAY)
    with pytest.raises(NotAllowed):
        await trail.for_staff(other_admin, "aad-anna")
    with pytest.raises(NotFound):
        await trail.for_personnummer(other_admin, PNR, "0682", TODAY)


def test_cli_lists_the_trail_by_personnummer_and_by_staff(world, run):
    _cases, case_id, _anna, _admin, _other = world
    by_youth = run("audit", "--personnummer", PNR, "--municipality", "0580")
    assert by_youth.exit_code == 0, by_youth.output
    assert "case.register" in by_youth.output and f"ärende {case_id}" in by_youth.output
    assert "Anna Ek (aad-anna)" in by_youth.output
    for secret in ("Elin", "Loggsson", PNR, "skolan"):
        assert secret not in by_youth.output
    by_staff = run("audit", "--staff", "aad-anna")
    assert by_staff.exit_code == 0, by_staff.output
    assert len(by_staff.output.strip().splitlines()) == 4


def test_cli_explains_what_is_wrong(world, run):
    neither = run("audit")
    assert neither.exit_code == 2 and "--personnummer" in neither.output
    both = run("audit", "--staff", "x", "--personnummer", PNR, "--municipality", "0580")
    assert both.exit_code == 2
    no_code = run("audit", "--personnummer", PNR)
    assert no_code.exit_code == 2 and "--municipality" in no_code.output
    unknown = run("audit", "--personnummer", PNR, "--municipality", "0682")
    assert unknown.exit_code == 1 and "ingen ungdom" in unknown.output
    bad = run("audit", "--personnummer", "12345", "--municipality", "0580")
    assert bad.exit_code == 1 and "Traceback" not in bad.output
    nobody = run("audit", "--staff", "aad-nobody")
    assert nobody.exit_code == 1 and "ingen personal" in nobody.output
