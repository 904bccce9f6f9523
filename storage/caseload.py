"""Who holds which case: taking, assigning and handing over cases, and staff who leave.

The rules, the same whoever asks (chat, command line, file import, demo):

- Coordinators and admins hold cases; managers do not.
- A case without a coordinator may be given to one by anyone of the municipality: a
  coordinator takes it (or gives it to a colleague, sharing out the intake), a manager
  assigns it — assignment is the one write a manager may make.
- A case that has a coordinator moves when that coordinator hands it over, or when a
  manager, an admin or the system reassigns it; another coordinator is told who has it.
- Staff who leave are deactivated by an admin or the system: they get no digest and cannot
  use the bot (only active staff are ever looked up), their active cases go to a colleague
  or become unassigned, and their open dialogs end. What staff did with the reminders of a
  case (done, snoozed) stays with the case: a reminder's key names the case and the
  situation, never the staff member (scheduler.rules).

Every move is a conditional update on the case's holder (and on its version, when the
caller saw one): of two coordinators taking the same case at once exactly one wins and the
other is told who has it. One audit entry per case moved, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.access import ADMINISTRATORS, CASE_ASSIGNERS, CASE_HOLDERS
from storage.audit import Actor, record, record_reads
from storage.bot_state import conversation_key
from storage.case_base import CaseServiceBase
from storage.case_errors import CaseError, NotAllowed, NotFound, StaleCase
from storage.codes import CaseStatus
from storage.colleagues import Colleague
from storage.models import BotStateItem, ConversationRef, KaaCase, Staff, Youth, utcnow
from storage.sessions import SessionSource, transaction

# A 1:1 conversation's dialog state is kept under the channel's id (bot_state); Teams's.
_DEFAULT_CHANNEL = "msteams"

MANAGER_HOLDS_NO_CASES = (
    "Som chef fördelar du ärenden men har inga egna. Skriv till exempel "
    "**tilldela Elin till Anna**, eller **fördela** för ärendena utan handläggare."
)


class Taken(CaseError):
    """Someone else holds the case, or got it first."""

    def __init__(self, case_id: int, holder: str) -> None:
        self.case_id = case_id
        self.holder = holder
        super().__init__(f"{holder} har redan ärende {case_id}.")


@dataclass(frozen=True)
class Handover:
    """The cases that moved, and those chosen that were no longer the giver's."""

    to_name: str | None
    moved: tuple[int, ...]
    skipped: tuple[int, ...] = ()


@dataclass(frozen=True)
class Deactivation:
    name: str
    handover: Handover
    dialogs_ended: int

    def summary(self) -> str:
        """The Swedish answer, for the chat and the command line alike."""
        count = len(self.handover.moved)
        cases = active_cases_text(count)
        if not count:
            moved = "Personen hade inga aktiva ärenden."
        elif self.handover.to_name is not None:
            moved = f"{cases.capitalize()} flyttades till {self.handover.to_name}."
        else:
            moved = f"{cases.capitalize()} saknar nu handläggare – fördela dem med ”fördela”."
        ended = " En pågående dialog avslutades." if self.dialogs_ended else ""
        return f"{self.name} är avaktiverad och kan inte längre använda boten. {moved}{ended}"


def active_cases_text(count: int) -> str:
    return "1 aktivt ärende" if count == 1 else f"{count} aktiva ärenden"


class _CaseHolder(NamedTuple):
    municipality_id: int
    status: str
    assigned_staff_id: int | None
    holder_name: str | None


async def holder(session: AsyncSession, actor: Actor, staff_id: int) -> Staff:
    """An active staff member of the actor's municipality who may hold cases."""
    staff = await session.get(Staff, staff_id)
    if staff is None or staff.municipality_id != actor.municipality_id or not staff.active:
        raise NotFound("Hittar ingen sådan handläggare i din kommun.")
    if staff.role not in CASE_HOLDERS:
        raise CaseError(f"{staff.name} är chef och kan inte ha egna ärenden.")
    return staff


async def staff_by_aad_id(session: AsyncSession, actor: Actor, aad_object_id: str) -> Staff:
    """An active staff member of the actor's municipality, by their aadObjectId."""
    staff = await session.scalar(
        select(Staff).where(
            Staff.aad_object_id == aad_object_id.strip(),
            Staff.municipality_id == actor.municipality_id,
            Staff.active,
        )
    )
    if staff is None:
        raise NotFound("Hittar ingen aktiv person med det id:t bland personalen i kommunen.")
    return staff


async def deactivated(source: SessionSource, aad_object_id: str) -> bool:
    """Whether this person was staff and has left (so demo mode must not add them again)."""
    async with source() as session:
        active = await session.scalar(
            select(Staff.active).where(Staff.aad_object_id == aad_object_id)
        )
    return active is False


async def _case(session: AsyncSession, actor: Actor, case_id: int) -> _CaseHolder:
    """The case's holder as committed now (a plain row, never a cached object)."""
    row = (
        await session.execute(
            select(KaaCase.municipality_id, KaaCase.status, KaaCase.assigned_staff_id, Staff.name)
            .outerjoin(Staff, Staff.id == KaaCase.assigned_staff_id)
            .where(KaaCase.id == case_id)
        )
    ).one_or_none()
    if row is None or row.municipality_id != actor.municipality_id:
        raise NotFound(f"Hittar inget ärende med nummer {case_id}.")
    found = _CaseHolder(*row)
    if found.status != "active":
        raise CaseError("Ärendet är avslutat. Registrera en ny period om ungdomen är tillbaka.")
    return found


async def _move(
    session: AsyncSession,
    case_ids: list[int],
    from_staff_id: int | None,
    to_staff_id: int | None,
    expected_version: int | None = None,
) -> bool:
    """Move the cases if each is still active with the holder they had; all or nothing."""
    held = (
        KaaCase.assigned_staff_id.is_(None)
        if from_staff_id is None
        else KaaCase.assigned_staff_id == from_staff_id
    )
    statement = update(KaaCase).where(
        KaaCase.id.in_(case_ids), KaaCase.status == CaseStatus.ACTIVE, held
    )
    if expected_version is not None:
        statement = statement.where(KaaCase.version == expected_version)
    result = await session.execute(
        statement.values(
            assigned_staff_id=to_staff_id, version=KaaCase.version + 1, updated_at=utcnow()
        ).execution_options(synchronize_session="fetch")
    )
    return result.rowcount == len(case_ids)


def _record_moves(
    session: AsyncSession, actor: Actor, case_ids: Collection[int], to: int | None
) -> None:
    detail = f"personal {to}" if to is not None else "ingen handläggare"
    for case_id in case_ids:
        record(session, actor, "case.assign", case_id=case_id, detail=detail)


async def _lost_race(session: AsyncSession, actor: Actor, case_id: int, seen: _CaseHolder) -> None:
    """The conditional update found the case changed: say who has it now, if someone new."""
    now = await _case(session, actor, case_id)
    if now.assigned_staff_id is not None and now.assigned_staff_id != seen.assigned_staff_id:
        raise Taken(case_id, now.holder_name or "En kollega")
    raise StaleCase()


async def assign(
    session: AsyncSession,
    actor: Actor,
    case_id: int,
    staff_id: int,
    expected_version: int | None = None,
    *,
    unassigned_only: bool = False,
) -> Staff:
    """Give the case to a staff member; returns them. `unassigned_only`: the caller saw the
    case without a coordinator (a list, a button) and must not move it from one."""
    target = await holder(session, actor, staff_id)
    case = await _case(session, actor, case_id)
    may_reassign = actor.role in CASE_ASSIGNERS or case.assigned_staff_id == actor.staff_id
    if case.assigned_staff_id is not None and (unassigned_only or not may_reassign):
        raise Taken(case_id, case.holder_name or "En kollega")
    if not await _move(session, [case_id], case.assigned_staff_id, staff_id, expected_version):
        await _lost_race(session, actor, case_id, case)
    _record_moves(session, actor, [case_id], staff_id)
    return target


async def take(session: AsyncSession, actor: Actor, case_id: int) -> None:
    """The actor takes a case that has no coordinator."""
    if actor.staff_id is None or actor.role not in CASE_HOLDERS:
        raise NotAllowed(MANAGER_HOLDS_NO_CASES)
    case = await _case(session, actor, case_id)
    if case.assigned_staff_id == actor.staff_id:
        raise CaseError(f"Ärende {case_id} är redan ditt.")
    if case.assigned_staff_id is not None:
        raise Taken(case_id, case.holder_name or "En kollega")
    await holder(session, actor, actor.staff_id)
    if not await _move(session, [case_id], None, actor.staff_id):
        await _lost_race(session, actor, case_id, case)
    _record_moves(session, actor, [case_id], actor.staff_id)


async def hand_over(
    session: AsyncSession,
    actor: Actor,
    giver_id: int,
    to_staff_id: int | None,
    case_ids: Collection[int] | None = None,
) -> Handover:
    """Move the giver's active cases (all, or those chosen) to a colleague; to nobody only
    when staff leave (`deactivate`)."""
    if actor.role not in CASE_ASSIGNERS and giver_id != actor.staff_id:
        raise NotAllowed("Du kan bara lämna över dina egna ärenden.")
    if to_staff_id == giver_id:
        raise CaseError("Ärendena kan inte lämnas över till samma person som har dem.")
    target = await holder(session, actor, to_staff_id) if to_staff_id is not None else None
    statement = select(KaaCase.id).where(
        KaaCase.municipality_id == actor.municipality_id,
        KaaCase.status == CaseStatus.ACTIVE,
        KaaCase.assigned_staff_id == giver_id,
    )
    if case_ids is not None:
        statement = statement.where(KaaCase.id.in_(list(case_ids)))
    # Locked until the transaction ends (PostgreSQL; SQLite has one writer at a time), so the
    # conditional update below moves exactly these.
    ids = list(await session.scalars(statement.order_by(KaaCase.id).with_for_update()))
    if ids and not await _move(session, ids, giver_id, to_staff_id):
        raise StaleCase()
    _record_moves(session, actor, ids, to_staff_id)
    skipped = sorted(set(case_ids or ()) - set(ids))
    return Handover(target.name if target else None, tuple(ids), tuple(skipped))


async def deactivate(
    session: AsyncSession, actor: Actor, leaver: Staff, to_staff_id: int | None
) -> Deactivation:
    """The leaver's active cases to a colleague (or to nobody), their open dialogs ended, and
    they are no longer staff the bot serves."""
    if actor.role not in ADMINISTRATORS:
        raise NotAllowed("Bara en administratör kan avaktivera personal.")
    if leaver.municipality_id != actor.municipality_id or not leaver.active:
        raise NotFound("Hittar ingen sådan person bland personalen i din kommun.")
    if leaver.id == actor.staff_id:
        raise CaseError("Du kan inte avaktivera dig själv – be en annan administratör.")
    handover = await hand_over(session, actor, leaver.id, to_staff_id)
    leaver.active = False
    ended = await _end_dialogs(session, leaver.aad_object_id)
    record(session, actor, "staff.deactivate", detail=f"personal {leaver.id}")
    return Deactivation(leaver.name, handover, ended)


async def _end_dialogs(session: AsyncSession, aad_object_id: str) -> int:
    """Drop the dialog state of the person's 1:1 conversations; how many there were."""
    rows = await session.execute(
        select(ConversationRef.conversation_id, ConversationRef.reference).where(
            ConversationRef.aad_object_id == aad_object_id,
            ConversationRef.conversation_type == "personal",
        )
    )
    keys = [
        conversation_key(str((reference or {}).get("channelId") or _DEFAULT_CHANNEL), id_)
        for id_, reference in rows
    ]
    if not keys:
        return 0
    result = await session.execute(delete(BotStateItem).where(BotStateItem.key.in_(keys)))
    return result.rowcount


async def held_count(source: SessionSource, actor: Actor, staff_id: int) -> int:
    """How many active cases of the actor's municipality the staff member holds."""
    async with source() as session:
        count = await session.scalar(
            select(func.count(KaaCase.id)).where(
                KaaCase.municipality_id == actor.municipality_id,
                KaaCase.status == CaseStatus.ACTIVE,
                KaaCase.assigned_staff_id == staff_id,
            )
        )
    return int(count or 0)


class WaitingCase(NamedTuple):
    """An active case without a coordinator, as the list of them shows it."""

    case_id: int
    first_name: str
    last_name: str
    registered_on: date


async def unassigned_cases(
    source: SessionSource, actor: Actor, limit: int
) -> tuple[int, list[WaitingCase]]:
    """How many active cases of the municipality have no coordinator, and the `limit` that
    have waited longest; each one shown is an audited read."""
    waiting = (
        (KaaCase.municipality_id == actor.municipality_id)
        & (KaaCase.status == CaseStatus.ACTIVE)
        & KaaCase.assigned_staff_id.is_(None)
    )
    async with transaction(source) as session:
        total = await session.scalar(select(func.count(KaaCase.id)).where(waiting))
        rows = await session.execute(
            select(KaaCase.id, Youth.first_name, Youth.last_name, KaaCase.registered_on)
            .join(Youth, Youth.id == KaaCase.youth_id)
            .where(waiting)
            .order_by(KaaCase.registered_on, KaaCase.id)
            .limit(limit)
        )
        shown = [WaitingCase(*row) for row in rows]
        await record_reads(session, actor, "case.list", [case.case_id for case in shown])
    return int(total or 0), shown


class Caseload(CaseServiceBase):
    """The case API's part for who holds which case (storage.cases.CaseService)."""

    async def assign(
        self,
        actor: Actor,
        case_id: int,
        staff_id: int,
        expected_version: int | None = None,
        *,
        unassigned_only: bool = False,
    ) -> Colleague:
        """Give the case to a staff member; returns them."""
        async with self._transaction() as session:
            staff = await assign(
                session, actor, case_id, staff_id, expected_version, unassigned_only=unassigned_only
            )
            colleague = Colleague.of(staff)
        self.changed = True
        return colleague

    async def take(self, actor: Actor, case_id: int) -> None:
        """The actor takes a case that has no coordinator; `Taken` when someone has."""
        async with self._transaction() as session:
            await take(session, actor, case_id)
        self.changed = True

    async def hand_over(
        self,
        actor: Actor,
        to_staff_id: int,
        case_ids: Collection[int] | None = None,
        *,
        giver_id: int | None = None,
    ) -> Handover:
        """Move the giver's (by default the actor's own) active cases, all or those chosen."""
        giver = actor.staff_id if giver_id is None else giver_id
        if giver is None:
            raise NotAllowed("Ange vems ärenden som ska lämnas över.")
        async with self._transaction() as session:
            handover = await hand_over(session, actor, giver, to_staff_id, case_ids)
        self.changed = self.changed or bool(handover.moved)
        return handover

    async def deactivate_staff(
        self, actor: Actor, aad_object_id: str, handover_to: str | None = None
    ) -> Deactivation:
        """A staff member who leaves: cases to `handover_to` (an aadObjectId) or to nobody."""
        async with self._transaction() as session:
            leaver = await staff_by_aad_id(session, actor, aad_object_id)
            to = await staff_by_aad_id(session, actor, handover_to) if handover_to else None
            result = await deactivate(session, actor, leaver, to.id if to else None)
        self.changed = True
        return result
