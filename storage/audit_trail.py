"""Reading the audit log: who touched a youth's cases, or what one staff member did.

Reading the log is itself recorded, since it reveals whom the municipality has in KAA.
Only the system (the CLI) and a municipality's admins may read it, admins only their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.audit import Actor, record
from storage.cases import CaseError, NotFound
from storage.models import AuditEntry, KaaCase, Municipality, Staff, Youth
from storage.personnummer import PersonnummerError, parse_personnummer
from storage.sessions import SessionSource, transaction


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor: str
    staff_aad_id: str | None
    staff_name: str | None
    action: str
    case_id: int | None
    detail: str | None


def about_youth(youth_id: int) -> ColumnElement[bool]:
    """The audit entries about one youth: about the person, or any of their cases."""
    case_ids = select(KaaCase.id).where(KaaCase.youth_id == youth_id)
    return or_(AuditEntry.youth_id == youth_id, AuditEntry.case_id.in_(case_ids))


class AuditTrail:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    @staticmethod
    def _require_reader(actor: Actor, municipality_id: int) -> None:
        access.require_administrator(
            actor,
            municipality_id,
            "Bara administratörer kan läsa granskningsloggen.",
            "Du kan bara läsa granskningsloggen för din egen kommun.",
        )

    async def for_personnummer(
        self, actor: Actor, personnummer: str, municipality_code: str, today: date
    ) -> list[AuditLine]:
        """Every entry about the youth with this personnummer in the municipality."""
        try:
            digits = parse_personnummer(personnummer, today).digits
        except PersonnummerError as error:
            raise CaseError(str(error)) from error
        async with transaction(self._sessionmaker) as session:
            municipality = await session.scalar(
                select(Municipality).where(Municipality.code == municipality_code)
            )
            if municipality is None:
                raise NotFound(f"Det finns ingen kommun med kod {municipality_code}.")
            self._require_reader(actor, municipality.id)
            youth = await session.scalar(
                select(Youth).where(
                    Youth.municipality_id == municipality.id, Youth.personnummer == digits
                )
            )
            if youth is None:
                raise NotFound(
                    f"Det finns ingen ungdom med det personnumret i kommun {municipality_code}."
                )
            lines = await self._lines(session, about_youth(youth.id))
            record(session, actor, "audit.read", youth_id=youth.id)
            return lines

    async def for_staff(self, actor: Actor, aad_object_id: str) -> list[AuditLine]:
        """Everything one staff member (active or not) has done."""
        async with transaction(self._sessionmaker) as session:
            staff = await session.scalar(select(Staff).where(Staff.aad_object_id == aad_object_id))
            if staff is None:
                raise NotFound("Det finns ingen personal med det id:t.")
            self._require_reader(actor, staff.municipality_id)
            lines = await self._lines(session, AuditEntry.staff_id == staff.id)
            record(session, actor, "audit.read", detail=f"personal {staff.id}")
            return lines

    @staticmethod
    async def _lines(session: AsyncSession, condition: ColumnElement[bool]) -> list[AuditLine]:
        rows = await session.execute(
            select(AuditEntry, Staff.aad_object_id, Staff.name)
            .outerjoin(Staff, Staff.id == AuditEntry.staff_id)
            .where(condition)
            .order_by(AuditEntry.at, AuditEntry.id)
        )
        return [
            AuditLine(
                at=entry.at,
                actor=entry.actor,
                staff_aad_id=aad_id,
                staff_name=name,
                action=entry.action,
                case_id=entry.case_id,
                detail=entry.detail,
            )
            for entry, aad_id, name in rows
        ]
