"""Gallring: personal data of long-closed cases is removed; the statistics stay.

A municipality sets `Municipality.settings["retention_months"]` (a whole number of months,
at least 1). A youth whose every case was closed at least that many months ago is
anonymised: personnummer, names, contact details, guardians and all free text are removed,
and measure history snapshots, the history of corrections and removed entries deleted.
What remains is what statistics need and nothing that points at a person: municipality,
gender, birth year, dates, code values (reasons, occupations, measure types, outcomes) and
the staff who handled the case.

Rows are kept rather than deleted so case ids are never reused: the audit log keeps its
entries (it never held personal data, only ids), and an old entry can never come to point
at someone else. Without the setting nothing is removed.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage import access
from storage.audit import Actor, record
from storage.cases import CaseError, NotFound
from storage.codes import CaseStatus, Role
from storage.models import (
    Consent,
    ContactEvent,
    Correction,
    HomeVisit,
    KaaCase,
    Measure,
    MeasureRevision,
    Municipality,
    Occupation,
    PlanRevision,
    RemovedEntry,
    Youth,
)
from storage.municipality_settings import change_setting
from storage.sessions import SessionSource, transaction

RETENTION_SETTING = "retention_months"
ANONYMISED_NAME = "Gallrad"

_MEASURE_TEXTS = (
    "description",
    "goal",
    "youth_responsibility",
    "municipality_responsibility",
    "other_actor",
    "other_actor_responsibility",
    "end_reason",
    "evaluation_outcome",
    "evaluation_effect",
)


class RetentionSettingError(CaseError):
    pass


def retention_months(settings: dict[str, object] | None) -> int | None:
    """The municipality's retention in months, or None when it has not set one."""
    value = (settings or {}).get(RETENTION_SETTING)
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RetentionSettingError(
            f"Gallringstiden ({RETENTION_SETTING}) ska vara ett helt antal månader, minst 1."
        )
    return value


def retention_cutoff(today: date, months: int) -> date:
    """Cases closed on or before this day have been closed for at least `months` months."""
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(today.day, last))


@dataclass(frozen=True)
class GallringResult:
    municipality_code: str
    municipality_name: str
    retention_months: int | None
    case_ids: tuple[int, ...] = ()
    youth_count: int = 0
    error: str | None = None


class RetentionService:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def set_retention(
        self, actor: Actor, municipality_code: str, months: int | None
    ) -> Municipality:
        """Set (or with None remove) the municipality's retention; system or its admin."""
        if months is not None:
            retention_months({RETENTION_SETTING: months})
        return await change_setting(
            self._sessionmaker,
            actor,
            municipality_code,
            RETENTION_SETTING,
            lambda _stored: months,
            action="municipality.retention",
            detail=", " + (f"{months} månader" if months else "ingen gallringstid"),
            refused="Bara kommunens administratör kan ändra gallringstiden.",
        )

    async def gallra(
        self,
        actor: Actor,
        today: date,
        *,
        municipality_code: str | None = None,
        dry_run: bool = False,
    ) -> list[GallringResult]:
        """Anonymise what is due, one transaction per municipality; `dry_run` only reports."""
        access.require(actor, access.ADMINISTRATORS, "Bara administratörer kan gallra.")
        async with self._sessionmaker() as session:
            query = select(Municipality).order_by(Municipality.code)
            if municipality_code is not None:
                query = query.where(Municipality.code == municipality_code)
            if actor.role != Role.SYSTEM:
                query = query.where(Municipality.id == actor.municipality_id)
            municipalities = list(await session.scalars(query))
        if municipality_code is not None and not municipalities:
            raise NotFound(f"Det finns ingen kommun med kod {municipality_code}.")
        return [
            await self._gallra_municipality(actor, municipality, today, dry_run)
            for municipality in municipalities
        ]

    async def _gallra_municipality(
        self, actor: Actor, municipality: Municipality, today: date, dry_run: bool
    ) -> GallringResult:
        try:
            months = retention_months(municipality.settings)
        except RetentionSettingError as error:
            return GallringResult(municipality.code, municipality.name, None, error=str(error))
        if months is None:
            return GallringResult(municipality.code, municipality.name, None)
        cutoff = retention_cutoff(today, months)
        async with transaction(self._sessionmaker) as session:
            youths = await self._due(session, municipality.id, cutoff)
            case_ids = tuple(case.id for youth in youths for case in youth.cases)
            if not dry_run:
                for youth in youths:
                    await self._anonymise(session, actor, youth, months, today)
        return GallringResult(
            municipality.code, municipality.name, months, case_ids, youth_count=len(youths)
        )

    @staticmethod
    async def _due(session: AsyncSession, municipality_id: int, cutoff: date) -> list[Youth]:
        """Youths all of whose cases were closed on or before the cutoff."""
        still_needed = exists().where(
            KaaCase.youth_id == Youth.id,
            (KaaCase.status != CaseStatus.CLOSED)
            | KaaCase.deregistered_on.is_(None)
            | (KaaCase.deregistered_on > cutoff),
        )
        has_case = exists().where(KaaCase.youth_id == Youth.id)
        found = await session.scalars(
            select(Youth)
            .where(
                Youth.municipality_id == municipality_id,
                Youth.anonymised_on.is_(None),
                has_case,
                ~still_needed,
            )
            .options(selectinload(Youth.cases), selectinload(Youth.guardians))
            .order_by(Youth.id)
        )
        return list(found)

    @staticmethod
    async def _anonymise(
        session: AsyncSession, actor: Actor, youth: Youth, months: int, today: date
    ) -> None:
        case_ids = [case.id for case in youth.cases]
        youth.personnummer = f"#{youth.id}"
        youth.first_name = ANONYMISED_NAME
        youth.last_name = ""
        youth.birth_date = date(youth.birth_date.year, 1, 1)
        youth.address = youth.postal_code = youth.city = None
        youth.phone = youth.email = None
        youth.protected_identity = False
        youth.anonymised_on = today
        youth.guardians.clear()
        for case in youth.cases:
            case.deregistration_note = None
        await session.execute(
            update(ContactEvent).where(ContactEvent.case_id.in_(case_ids)).values(note=None)
        )
        await session.execute(
            update(Occupation).where(Occupation.case_id.in_(case_ids)).values(note=None)
        )
        await session.execute(
            update(PlanRevision)
            .where(PlanRevision.case_id.in_(case_ids))
            .values(goals="", needs=None, expectations=None)
        )
        await session.execute(
            update(Consent).where(Consent.case_id.in_(case_ids)).values(actors="")
        )
        measure_ids = select(Measure.id).where(Measure.case_id.in_(case_ids))
        await session.execute(
            delete(MeasureRevision).where(MeasureRevision.measure_id.in_(measure_ids))
        )
        # What was corrected or removed keeps the old values, personal data among them.
        await session.execute(delete(Correction).where(Correction.youth_id == youth.id))
        await session.execute(delete(RemovedEntry).where(RemovedEntry.case_id.in_(case_ids)))
        await session.execute(
            update(Measure)
            .where(Measure.case_id.in_(case_ids))
            .values(**dict.fromkeys(_MEASURE_TEXTS))
        )
        await session.execute(
            update(HomeVisit).where(HomeVisit.case_id.in_(case_ids)).values(note=None)
        )
        for case_id in case_ids:
            record(
                session,
                actor,
                "case.gallring",
                case_id=case_id,
                youth_id=youth.id,
                detail=f"anonymiserad efter {months} månader",
            )
