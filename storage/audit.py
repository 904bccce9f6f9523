"""The audit log: one entry per read or write of case data, never changed afterwards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage.models import AuditEntry, utcnow


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member in a municipality, or a named system part such as the CLI."""

    label: str
    municipality_id: int | None
    role: str
    staff_id: int | None = None


class AuditLogImmutable(Exception):
    pass


def record(
    session: AsyncSession,
    actor: Actor,
    action: str,
    *,
    case_id: int | None = None,
    youth_id: int | None = None,
    detail: str | None = None,
) -> None:
    session.add(
        AuditEntry(
            actor=actor.label,
            staff_id=actor.staff_id,
            municipality_id=actor.municipality_id,
            action=action,
            case_id=case_id,
            youth_id=youth_id,
            detail=detail,
        )
    )


async def record_reads(
    session: AsyncSession,
    actor: Actor,
    action: str,
    case_ids: list[int],
    *,
    detail: str | None = None,
) -> None:
    """One entry per case a list or report showed, written in one statement."""
    if not case_ids:
        return
    await session.execute(
        insert(AuditEntry),
        [
            {
                "at": utcnow(),
                "actor": actor.label,
                "staff_id": actor.staff_id,
                "municipality_id": actor.municipality_id,
                "action": action,
                "case_id": case_id,
                "detail": detail,
            }
            for case_id in case_ids
        ],
    )


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: object, _instances: object) -> None:
    for entry in (*session.dirty, *session.deleted):
        if isinstance(entry, AuditEntry):
            raise AuditLogImmutable("Granskningsloggen kan inte ändras eller raderas.")
