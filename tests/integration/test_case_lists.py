"""The quick questions' lists read in storage: scoped, counted, and each shown case audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from storage.audit import Actor
from storage.case_lists import CaseLists
from storage.cases import CaseService
from storage.models import AuditEntry
from tests.integration.report_fixture import build


@pytest.fixture
async def fixture(sessionmaker):
    return await build(CaseService(sessionmaker))


async def _listed(sessionmaker) -> list[int]:
    async with sessionmaker() as session:
        found = await session.scalars(
            select(AuditEntry.case_id).where(AuditEntry.action == "case.list")
        )
        return sorted(found)


async def test_counts_show_no_case(sessionmaker, fixture):
    lists = CaseLists(sessionmaker)
    enrolled = await lists.enrolled(fixture.coordinator)
    # A B C F are active, all the coordinator's; the neighbour's youth is not counted.
    assert (enrolled.total, enrolled.women, enrolled.men) == (4, 3, 1)
    assert (enrolled.unassigned, enrolled.mine) == (0, 4)
    assert (await lists.enrolled(fixture.manager)).mine == 0
    assert await _listed(sessionmaker) == []


async def test_a_list_audits_the_cases_it_shows(sessionmaker, fixture):
    mine = await CaseLists(sessionmaker).mine(fixture.coordinator, limit=2)
    assert mine.total == 4
    assert [case.case_id for case in mine.shown] == [fixture.cases["A"], fixture.cases["B"]]
    assert await _listed(sessionmaker) == sorted([fixture.cases["A"], fixture.cases["B"]])


async def test_registered_between_names_the_staff(sessionmaker, fixture):
    found = await CaseLists(sessionmaker).registered_between(
        fixture.manager, date(2026, 2, 1), date(2026, 3, 31), limit=25
    )
    assert [(case.case_id, case.staff_name) for case in found.shown] == [
        (fixture.cases["B"], "Cia"),
        (fixture.cases["C"], "Cia"),
    ]


async def test_turning_20_is_a_coordinators_own_cases(sessionmaker, fixture):
    lists = CaseLists(sessionmaker)
    today = date(2027, 4, 15)  # A turns 20 on 2027-05-01
    for actor in (fixture.coordinator, fixture.manager):
        found = await lists.turning_20(actor, today, days=60, limit=25)
        assert [(c.case_id, c.turns_20_on) for c in found.shown] == [
            (fixture.cases["A"], date(2027, 5, 1))
        ]
    colleague = Actor("aad-c2", fixture.municipality_id, "coordinator", staff_id=10_000)
    assert (await lists.turning_20(colleague, today, days=60, limit=25)).total == 0
