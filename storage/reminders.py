"""What staff did with a reminder (done, snoozed): the only way to change it, always audited."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import Actor, record
from storage.cases import CaseError, NotFound
from storage.models import KaaCase, Reminder, utcnow
from storage.sessions import SessionSource, transaction

MAX_KEY_LENGTH = 120


@dataclass(frozen=True)
class StoredState:
    done: bool
    snoozed_until: date | None


@dataclass(frozen=True)
class ReminderRef:
    """Which reminder a button points at, as the card sent it back."""

    key: str
    kind: str
    case_id: int | None
    due_on: date


class ReminderStore:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def states(
        self, municipality_ids: Collection[int] | None = None, *, case_id: int | None = None
    ) -> dict[int, dict[str, StoredState]]:
        """Per municipality, every reminder someone marked done or snoozed (of one case)."""
        statement = select(
            Reminder.municipality_id, Reminder.key, Reminder.done_at, Reminder.snoozed_until
        ).where((Reminder.done_at.is_not(None)) | (Reminder.snoozed_until.is_not(None)))
        if municipality_ids is not None:
            statement = statement.where(Reminder.municipality_id.in_(list(municipality_ids)))
        if case_id is not None:
            statement = statement.where(Reminder.case_id == case_id)
        result: dict[int, dict[str, StoredState]] = {}
        async with self._sessionmaker() as session:
            for municipality_id, key, done_at, snoozed_until in await session.execute(statement):
                result.setdefault(municipality_id, {})[key] = StoredState(
                    done=done_at is not None, snoozed_until=snoozed_until
                )
        return result

    async def mark_done(self, actor: Actor, reminder: ReminderRef) -> None:
        async with transaction(self._sessionmaker) as session:
            await self._check(session, actor, reminder)
            await _upsert(session, actor, reminder, {"done_at": utcnow(), "snoozed_until": None})
            record(session, actor, "reminder.done", case_id=reminder.case_id, detail=reminder.kind)

    async def snooze(self, actor: Actor, reminder: ReminderRef, until: date) -> None:
        async with transaction(self._sessionmaker) as session:
            await self._check(session, actor, reminder)
            await _upsert(session, actor, reminder, {"done_at": None, "snoozed_until": until})
            record(
                session,
                actor,
                "reminder.snooze",
                case_id=reminder.case_id,
                detail=f"{reminder.kind} till {until.isoformat()}",
            )

    @staticmethod
    async def _check(session: AsyncSession, actor: Actor, reminder: ReminderRef) -> None:
        """A button's data comes back from the client: it must name a reminder of one's own
        municipality, and its key must belong to the kind and case it claims."""
        parts = reminder.key.split(":")
        if (
            len(reminder.key) > MAX_KEY_LENGTH
            or actor.municipality_id is None
            or parts[0] != reminder.kind
            or (
                reminder.case_id is not None
                and (len(parts) < 2 or parts[1] != str(reminder.case_id))
            )
        ):
            raise CaseError(
                "Jag känner inte igen den påminnelsen. Öppna den senaste sammanfattningen."
            )
        if reminder.case_id is not None:
            municipality_id = await session.scalar(
                select(KaaCase.municipality_id).where(KaaCase.id == reminder.case_id)
            )
            if municipality_id != actor.municipality_id:
                raise NotFound(f"Hittar inget ärende med nummer {reminder.case_id}.")


async def _upsert(
    session: AsyncSession, actor: Actor, reminder: ReminderRef, values: dict[str, object]
) -> None:
    insert = sqlite_insert if session.bind.dialect.name == "sqlite" else pg_insert
    statement = insert(Reminder).values(
        municipality_id=actor.municipality_id,
        case_id=reminder.case_id,
        key=reminder.key,
        kind=reminder.kind,
        due_on=reminder.due_on,
        **values,
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Reminder.municipality_id, Reminder.key], set_=values
        )
    )
