"""The audit log: one entry per read or write of case data, never changed afterwards."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage.codes import Role
from storage.models import AuditEntry, KaaCase, utcnow

# Bound ids per statement: well below SQLite's and PostgreSQL's limits on parameters.
_READS_PER_STATEMENT = 10_000


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member in a municipality, or a named system part such as the CLI."""

    label: str
    municipality_id: int | None
    role: Role
    staff_id: int | None = None

    def __post_init__(self) -> None:
        # A role read from the database is its stored text; an unknown one is refused here.
        object.__setattr__(self, "role", Role(self.role))


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
    """One entry per case a list or report showed (each case once), in the caller's
    transaction.

    Written as ``INSERT … SELECT`` from the shown cases themselves, thousands per
    statement: a municipality's SCB file shows thousands of cases, and one statement
    costs far less than as many parameter rows (or ORM objects).
    """
    if not case_ids:
        return
    table = AuditEntry.__table__
    connection = await session.connection()
    at = utcnow()
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), _READS_PER_STATEMENT):
        shown = select(
            literal(at, table.c.at.type),
            literal(actor.label, table.c.actor.type),
            literal(actor.staff_id, table.c.staff_id.type),
            literal(actor.municipality_id, table.c.municipality_id.type),
            literal(action, table.c.action.type),
            KaaCase.id,
            literal(detail, table.c.detail.type),
        ).where(KaaCase.id.in_(ids[start : start + _READS_PER_STATEMENT]))
        await connection.execute(
            insert(table).from_select(
                ["at", "actor", "staff_id", "municipality_id", "action", "case_id", "detail"],
                shown,
            )
        )


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, _context: object, _instances: object) -> None:
    for entry in (*session.dirty, *session.deleted):
        if isinstance(entry, AuditEntry):
            raise AuditLogImmutable("Granskningsloggen kan inte ändras eller raderas.")
