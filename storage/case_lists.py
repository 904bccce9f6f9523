"""The lists of cases the quick questions answer with: scoped to the asker's municipality
(and to a coordinator's own cases where the list is about one's work), each case a list
shows written to the audit log (`case.list`); counts alone show no case and are not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.audit import Actor, record_reads
from storage.codes import CaseStatus
from storage.eligibility import turns_20_on
from storage.models import KaaCase, Staff, Youth
from storage.sessions import SessionSource, audited


@dataclass(frozen=True)
class ListedCase:
    case_id: int
    first_name: str
    last_name: str
    registered_on: date
    # What the list is about: the assigned staff's name, or the day the youth turns 20.
    staff_name: str | None = None
    turns_20_on: date | None = None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class CaseList:
    """The first cases of a list (the ones shown, and audited) and how many it has."""

    shown: tuple[ListedCase, ...]
    total: int


@dataclass(frozen=True)
class Enrolled:
    """The active cases of the municipality, counted."""

    total: int
    women: int
    men: int
    unassigned: int
    mine: int


class CaseLists:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def enrolled(self, actor: Actor) -> Enrolled:
        async with self._sessionmaker() as session:
            rows = (
                await session.execute(
                    select(
                        Youth.gender,
                        func.count(KaaCase.id),
                        func.count(KaaCase.assigned_staff_id),
                        func.count(KaaCase.id).filter(KaaCase.assigned_staff_id == actor.staff_id),
                    )
                    .join(Youth, Youth.id == KaaCase.youth_id)
                    .where(*_active(actor))
                    .group_by(Youth.gender)
                )
            ).all()
        by_gender = {gender: total for gender, total, _assigned, _mine in rows}
        total = sum(by_gender.values())
        return Enrolled(
            total=total,
            women=by_gender.get("kvinna", 0),
            men=by_gender.get("man", 0),
            unassigned=total - sum(assigned for _gender, _total, assigned, _mine in rows),
            mine=sum(mine for _gender, _total, _assigned, mine in rows),
        )

    async def mine(self, actor: Actor, limit: int) -> CaseList:
        """The actor's active cases by name."""
        statement = (
            _listed()
            .where(*_active(actor), KaaCase.assigned_staff_id == actor.staff_id)
            .order_by(Youth.first_name, Youth.last_name, KaaCase.id)
        )
        return await self._shown(actor, statement, limit)

    async def registered_between(
        self, actor: Actor, first: date, last: date, limit: int
    ) -> CaseList:
        """The municipality's cases registered from ``first`` to ``last``, with their staff."""
        statement = (
            _listed(Staff.name)
            .outerjoin(Staff, Staff.id == KaaCase.assigned_staff_id)
            .where(
                access.case_in_scope(actor),
                KaaCase.registered_on >= first,
                KaaCase.registered_on <= last,
            )
            .order_by(KaaCase.registered_on, KaaCase.id)
        )
        return await self._shown(actor, statement, limit)

    async def turning_20(self, actor: Actor, today: date, days: int, limit: int) -> CaseList:
        """Active cases whose youth turns 20 within ``days`` (a coordinator's own), soonest
        first."""
        # Birth dates that make someone 20 within the window (a little wider for 29 February).
        statement = _listed(Youth.birth_date).where(
            *_active(actor), Youth.birth_date >= date(today.year - 20, 1, 1)
        )
        if (staff_id := access.own_cases_of(actor)) is not None:
            statement = statement.where(KaaCase.assigned_staff_id == staff_id)
        until = today + timedelta(days=days)
        async with audited(self._sessionmaker) as session:
            turning = sorted(
                (
                    ListedCase(case_id, first, last, registered, turns_20_on=turns_20_on(born))
                    for case_id, first, last, registered, born in await session.execute(statement)
                    if today <= turns_20_on(born) <= until
                ),
                key=lambda case: (case.turns_20_on, case.case_id),
            )
            return await _audited(session, actor, turning, limit)

    async def _shown(
        self, actor: Actor, statement: Select[tuple[int, ...]], limit: int
    ) -> CaseList:
        async with audited(self._sessionmaker) as session:
            rows = (await session.execute(statement)).all()
            return await _audited(session, actor, [ListedCase(*row) for row in rows], limit)


def _listed(*more: ColumnElement[object]) -> Select[tuple[int, ...]]:
    return select(KaaCase.id, Youth.first_name, Youth.last_name, KaaCase.registered_on, *more).join(
        Youth, Youth.id == KaaCase.youth_id
    )


def _active(actor: Actor) -> tuple[ColumnElement[bool], ...]:
    return access.case_in_scope(actor), KaaCase.status == CaseStatus.ACTIVE


async def _audited(
    session: AsyncSession, actor: Actor, cases: Sequence[ListedCase], limit: int
) -> CaseList:
    shown = tuple(cases[:limit])
    await record_reads(session, actor, "case.list", [case.case_id for case in shown])
    return CaseList(shown, len(cases))
