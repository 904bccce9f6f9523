"""The demo municipality: about 30 fictitious youths in varied states, created once."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storage.audit import Actor
from storage.cases import CaseService
from storage.demo import seed_demo
from storage.models import AuditEntry, KaaCase
from storage.personnummer import parse_personnummer

TODAY = date(2026, 11, 22)
SYSTEM = Actor(label="test", municipality_id=None, role="system")


async def test_demo_holds_varied_valid_cases(sessionmaker):
    cases = CaseService(sessionmaker)
    assert await seed_demo(cases, TODAY, SYSTEM)
    assert not await seed_demo(cases, TODAY, SYSTEM)
    async with sessionmaker() as session:
        all_cases = list(
            await session.scalars(
                select(KaaCase).options(
                    selectinload(KaaCase.youth),
                    selectinload(KaaCase.contacts),
                    selectinload(KaaCase.measures),
                    selectinload(KaaCase.plan_revisions),
                    selectinload(KaaCase.home_visits),
                )
            )
        )
        audited = await session.scalar(select(func.count()).select_from(AuditEntry))
    assert 25 <= len(all_cases) <= 35
    for case in all_cases:
        pnr = parse_personnummer(case.youth.personnummer, TODAY)
        assert pnr.age_on(TODAY) < 20
        assert pnr.gender == case.youth.gender
    assert Counter(case.status for case in all_cases).keys() == {"active", "closed"}
    assert any(not case.contacts for case in all_cases)
    assert any(case.home_visits for case in all_cases)
    assert any(case.plan_revisions for case in all_cases)
    assert any(m.ended_on is None for case in all_cases for m in case.measures)
    assert any(case.youth.protected_identity for case in all_cases)
    assert {case.youth.gender for case in all_cases} == {"kvinna", "man"}
    assert audited > len(all_cases)
