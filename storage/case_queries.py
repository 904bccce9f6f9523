"""Finding a case the way a coordinator names it, scoped to their municipality and audited.

A coordinator says "Elin", "Elin Andersson", "20080315-1234", "ärende 12" or picks one of
their recent cases. Every case these reads show is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz, utils
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from storage import codes
from storage.audit import Actor, record
from storage.cases import NotFound
from storage.models import AuditEntry, KaaCase, Municipality, Youth
from storage.privacy import visible_address
from storage.sessions import SessionSource, audited

# A name matches from this score (0–100); matches this close to the best one are offered too.
NAME_MATCH_SCORE = 80
NAME_MATCH_WINDOW = 5
RECENT_CASES = 5


@dataclass(frozen=True)
class MeasureBrief:
    measure_id: int
    measure_type: str
    starts_on: date | None
    ended_on: date | None
    evaluated_on: date | None

    def label(self, types: dict[str, str]) -> str:
        start = f", start {self.starts_on.isoformat()}" if self.starts_on else ""
        return f"{codes.label(types, self.measure_type)} (nr {self.measure_id}{start})"


@dataclass(frozen=True)
class VisitBrief:
    visit_id: int
    planned_on: date


@dataclass(frozen=True)
class CaseName:
    """An active case by its youth's name, for reading a name out of a sentence; `mine` when
    the case is assigned to the one who asks."""

    case_id: int
    first_name: str
    last_name: str
    mine: bool = False


@dataclass(frozen=True)
class CaseBrief:
    """What a dialog needs to know about the case it works on; no address when protected."""

    case_id: int
    version: int
    status: str
    registered_on: date
    first_name: str
    last_name: str
    personnummer: str
    protected_identity: bool
    address: str | None
    measures: tuple[MeasureBrief, ...] = ()
    planned_visits: tuple[VisitBrief, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def label(self) -> str:
        closed = ", avslutat" if self.status != "active" else ""
        return f"{self.name} (ärende {self.case_id}{closed})"

    @property
    def open_measures(self) -> tuple[MeasureBrief, ...]:
        return tuple(m for m in self.measures if m.ended_on is None)


def _brief(case: KaaCase, *, details: bool = False) -> CaseBrief:
    youth = case.youth
    return CaseBrief(
        case_id=case.id,
        version=case.version,
        status=case.status,
        registered_on=case.registered_on,
        first_name=youth.first_name,
        last_name=youth.last_name,
        personnummer=youth.personnummer,
        protected_identity=youth.protected_identity,
        address=visible_address(youth),
        measures=tuple(
            MeasureBrief(m.id, m.measure_type, m.starts_on, m.ended_on, m.evaluated_on)
            for m in case.measures
        )
        if details
        else (),
        planned_visits=tuple(
            VisitBrief(v.id, v.planned_on) for v in case.home_visits if v.outcome is None
        )
        if details
        else (),
    )


def name_score(query: str, first_name: str, last_name: str) -> float:
    """How well a typed name matches: the whole name, or the first or last name alone."""
    full = f"{first_name} {last_name}"
    options = {"processor": utils.default_process}
    return max(
        fuzz.WRatio(query, full, **options),
        fuzz.ratio(query, full, **options),
        fuzz.ratio(query, first_name, **options),
        fuzz.ratio(query, last_name, **options),
    )


class CaseQueries:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def brief(self, actor: Actor, case_id: int) -> CaseBrief:
        """One case with its measures and planned home visits; NotFound outside the municipality."""
        async with audited(self._sessionmaker) as session:
            case = await session.scalar(
                select(KaaCase)
                .where(KaaCase.id == case_id, KaaCase.municipality_id == actor.municipality_id)
                .options(
                    selectinload(KaaCase.youth),
                    selectinload(KaaCase.measures),
                    selectinload(KaaCase.home_visits),
                )
            )
            if case is None:
                raise NotFound(f"Hittar inget ärende med nummer {case_id}.")
            record(session, actor, "case.open", case_id=case.id, youth_id=case.youth_id)
            return _brief(case, details=True)

    async def by_personnummer(self, actor: Actor, digits: str) -> list[CaseBrief]:
        """Every case of the youth with this 12-digit number, newest first."""
        return await self._listed(
            actor,
            select(KaaCase)
            .join(Youth, KaaCase.youth_id == Youth.id)
            .where(Youth.municipality_id == actor.municipality_id, Youth.personnummer == digits)
            .order_by(KaaCase.id.desc()),
        )

    async def by_name(
        self, actor: Actor, query: str, *, active_only: bool = True
    ) -> list[CaseBrief]:
        """Cases whose youth's name matches best (typos allowed), best first."""
        statement = (
            select(KaaCase.id, Youth.first_name, Youth.last_name)
            .join(Youth, KaaCase.youth_id == Youth.id)
            .where(KaaCase.municipality_id == actor.municipality_id)
        )
        if active_only:
            statement = statement.where(KaaCase.status == "active")
        async with self._sessionmaker() as session:
            rows = (await session.execute(statement)).all()
        scored = sorted(
            ((name_score(query, first, last), case_id) for case_id, first, last in rows),
            reverse=True,
        )
        if not scored or scored[0][0] < NAME_MATCH_SCORE:
            return []
        best = scored[0][0]
        return await self.by_ids(
            actor,
            [
                case_id
                for score, case_id in scored
                if score >= NAME_MATCH_SCORE and score >= best - NAME_MATCH_WINDOW
            ],
        )

    async def names(self, actor: Actor) -> list[CaseName]:
        """The youth's name of every active case in the municipality, the actor's own first.

        Like the names a search compares (by_name), these are not shown, so not audited; the
        cases a sentence turns out to name are read with by_ids, which audits them.
        """
        statement = (
            select(KaaCase.id, Youth.first_name, Youth.last_name, KaaCase.assigned_staff_id)
            .join(Youth, KaaCase.youth_id == Youth.id)
            .where(KaaCase.municipality_id == actor.municipality_id, KaaCase.status == "active")
            .order_by(KaaCase.id)
        )
        async with self._sessionmaker() as session:
            rows = (await session.execute(statement)).all()
        names = [
            CaseName(case_id, first, last, actor.staff_id is not None and staff == actor.staff_id)
            for case_id, first, last, staff in rows
        ]
        return sorted(names, key=lambda name: not name.mine)

    async def by_ids(self, actor: Actor, ids: list[int]) -> list[CaseBrief]:
        """These cases of the municipality, in this order, each audited as shown."""
        if not ids:
            return []
        found = await self._listed(actor, select(KaaCase).where(KaaCase.id.in_(ids)))
        order = {case_id: index for index, case_id in enumerate(ids)}
        return sorted(found, key=lambda brief: order[brief.case_id])

    async def recent(self, actor: Actor, limit: int = RECENT_CASES) -> list[CaseBrief]:
        """The actor's active cases they worked on last, then their assigned ones."""
        async with self._sessionmaker() as session:
            touched = await session.execute(
                select(AuditEntry.case_id, func.max(AuditEntry.id).label("last"))
                .join(KaaCase, AuditEntry.case_id == KaaCase.id)
                .where(
                    AuditEntry.staff_id == actor.staff_id,
                    KaaCase.municipality_id == actor.municipality_id,
                    KaaCase.status == "active",
                )
                .group_by(AuditEntry.case_id)
                .order_by(func.max(AuditEntry.id).desc())
                .limit(limit)
            )
            ids = [row.case_id for row in touched]
            if len(ids) < limit:
                assigned = await session.scalars(
                    select(KaaCase.id)
                    .where(
                        KaaCase.assigned_staff_id == actor.staff_id,
                        KaaCase.municipality_id == actor.municipality_id,
                        KaaCase.status == "active",
                        KaaCase.id.not_in(ids),
                    )
                    .order_by(KaaCase.updated_at.desc(), KaaCase.id.desc())
                    .limit(limit - len(ids))
                )
                ids += list(assigned)
        return await self.by_ids(actor, ids)

    async def _listed(self, actor: Actor, statement: Any) -> list[CaseBrief]:
        """Load the cases a search shows, and audit each one as shown to the actor."""
        async with audited(self._sessionmaker) as session:
            cases = list(
                await session.scalars(
                    statement.where(KaaCase.municipality_id == actor.municipality_id).options(
                        selectinload(KaaCase.youth)
                    )
                )
            )
            for case in cases:
                record(session, actor, "case.search", case_id=case.id, youth_id=case.youth_id)
            return [_brief(case) for case in cases]

    async def municipality_settings(self, actor: Actor) -> dict[str, Any]:
        async with self._sessionmaker() as session:
            municipality = await session.get(Municipality, actor.municipality_id)
        return dict(municipality.settings or {}) if municipality else {}
