"""Finding a case the way a coordinator names it, scoped to their municipality and audited.

A coordinator says "Elin", "Elin Andersson", "20080315-1234", "ärende 12" or picks one of
their recent cases. Every case these reads show is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, utils
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Load, joinedload, selectinload

from storage import access
from storage.audit import Actor, record
from storage.case_views import (
    CASE_RECORDS,
    CaseBrief,
    CaseView,
    FoundCase,
    MunicipalitySettings,
    case_brief,
    case_view,
    found_case,
)
from storage.cases import NotFound
from storage.codes import CaseStatus
from storage.models import AuditEntry, KaaCase, Municipality, Youth
from storage.sessions import SessionSource, audited

# A name matches from this score (0–100); matches this close to the best one are offered too.
NAME_MATCH_SCORE = 80
NAME_MATCH_WINDOW = 5
RECENT_CASES = 5


@dataclass(frozen=True)
class CaseName:
    """An active case by its youth's name, for reading a name out of a sentence; `mine` when
    the case is assigned to the one who asks."""

    case_id: int
    first_name: str
    last_name: str
    mine: bool = False


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
    """The reads of cases a dialog makes, each scoped to the reader's municipality, and each
    case shown to them written to the audit log."""

    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def brief(self, actor: Actor, case_id: int) -> CaseBrief:
        """The case a dialog works on; NotFound outside the municipality."""
        case, municipality = await self._one(
            actor,
            case_id,
            "case.open",
            (selectinload(KaaCase.measures), selectinload(KaaCase.home_visits)),
        )
        return case_brief(case, municipality)

    async def view(self, actor: Actor, case_id: int) -> CaseView:
        """Everything the case view shows; NotFound outside the municipality."""
        case, municipality = await self._one(
            actor,
            case_id,
            "case.read",
            (
                joinedload(KaaCase.youth).selectinload(Youth.guardians),
                joinedload(KaaCase.assigned_staff),
                *CASE_RECORDS,
            ),
        )
        return case_view(case, municipality)

    async def _one(
        self, actor: Actor, case_id: int, action: str, options: tuple[Load, ...]
    ) -> tuple[KaaCase, MunicipalitySettings]:
        """One case with its municipality's settings, read and audited in one transaction."""
        async with audited(self._sessionmaker) as session:
            row = (
                await session.execute(
                    select(KaaCase, Municipality.settings)
                    .join(Municipality, Municipality.id == KaaCase.municipality_id)
                    .where(KaaCase.id == case_id, access.case_in_scope(actor))
                    .options(joinedload(KaaCase.youth), *options)
                )
            ).first()
            if row is None:
                raise NotFound(f"Hittar inget ärende med nummer {case_id}.")
            case, settings = row
            record(session, actor, action, case_id=case.id, youth_id=case.youth_id)
            return case, MunicipalitySettings(case.municipality_id, dict(settings or {}))

    async def by_personnummer(self, actor: Actor, digits: str) -> list[FoundCase]:
        """Every case of the youth with this 12-digit number, newest first."""
        return await self._listed(
            actor,
            select(KaaCase)
            .join(Youth, KaaCase.youth_id == Youth.id)
            .where(Youth.personnummer == digits)
            .order_by(KaaCase.id.desc()),
        )

    async def by_name(
        self, actor: Actor, query: str, *, active_only: bool = True
    ) -> list[CaseName]:
        """Cases whose youth's name matches best (typos allowed), best first.

        Only compared, not shown, so not audited: what is then shown of them is read with
        by_ids or opened with brief or view, which audit it.
        """
        statement = (
            select(KaaCase.id, Youth.first_name, Youth.last_name)
            .join(Youth, KaaCase.youth_id == Youth.id)
            .where(access.case_in_scope(actor))
        )
        if active_only:
            statement = statement.where(KaaCase.status == CaseStatus.ACTIVE)
        async with self._sessionmaker() as session:
            rows = (await session.execute(statement)).all()
        scored = sorted(
            (
                (name_score(query, first, last), case_id, first, last)
                for case_id, first, last in rows
            ),
            reverse=True,
        )
        if not scored or scored[0][0] < NAME_MATCH_SCORE:
            return []
        best = scored[0][0]
        return [
            CaseName(case_id, first, last)
            for score, case_id, first, last in scored
            if score >= NAME_MATCH_SCORE and score >= best - NAME_MATCH_WINDOW
        ]

    async def names(self, actor: Actor) -> list[CaseName]:
        """The youth's name of every active case in the municipality, the actor's own first.

        Like the names a search compares (by_name), these are not shown, so not audited; the
        cases a sentence turns out to name are read with by_ids, which audits them.
        """
        statement = (
            select(KaaCase.id, Youth.first_name, Youth.last_name, KaaCase.assigned_staff_id)
            .join(Youth, KaaCase.youth_id == Youth.id)
            .where(access.case_in_scope(actor), KaaCase.status == CaseStatus.ACTIVE)
            .order_by(KaaCase.id)
        )
        async with self._sessionmaker() as session:
            rows = (await session.execute(statement)).all()
        names = [
            CaseName(case_id, first, last, actor.staff_id is not None and staff == actor.staff_id)
            for case_id, first, last, staff in rows
        ]
        return sorted(names, key=lambda name: not name.mine)

    async def by_ids(self, actor: Actor, ids: list[int]) -> list[FoundCase]:
        """These cases of the municipality, in this order, each audited as shown."""
        if not ids:
            return []
        found = await self._listed(actor, select(KaaCase).where(KaaCase.id.in_(ids)))
        order = {case_id: index for index, case_id in enumerate(ids)}
        return sorted(found, key=lambda case: order[case.case_id])

    async def recent(self, actor: Actor, limit: int = RECENT_CASES) -> list[FoundCase]:
        """The actor's active cases they worked on last, then their assigned ones."""
        async with self._sessionmaker() as session:
            touched = await session.execute(
                select(AuditEntry.case_id, func.max(AuditEntry.id).label("last"))
                .join(KaaCase, AuditEntry.case_id == KaaCase.id)
                .where(
                    AuditEntry.staff_id == actor.staff_id,
                    access.case_in_scope(actor),
                    KaaCase.status == CaseStatus.ACTIVE,
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
                        access.case_in_scope(actor),
                        KaaCase.status == CaseStatus.ACTIVE,
                        KaaCase.id.not_in(ids),
                    )
                    .order_by(KaaCase.updated_at.desc(), KaaCase.id.desc())
                    .limit(limit - len(ids))
                )
                ids += list(assigned)
        return await self.by_ids(actor, ids)

    async def _listed(self, actor: Actor, statement: Select[tuple[KaaCase]]) -> list[FoundCase]:
        """Load the cases a search shows, and audit each one as shown to the actor."""
        async with audited(self._sessionmaker) as session:
            cases = list(
                await session.scalars(
                    statement.where(access.case_in_scope(actor)).options(joinedload(KaaCase.youth))
                )
            )
            for case in cases:
                record(session, actor, "case.search", case_id=case.id, youth_id=case.youth_id)
            return [found_case(case) for case in cases]
