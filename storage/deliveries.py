"""The delivery ledger: each reminder reaches each recipient at most once a day.

The database is the guard, so it holds across restarts and across bot instances
sharing one PostgreSQL: a sender first claims rows (INSERT … ON CONFLICT DO
NOTHING on the unique key, with its own token), sends only what it claimed,
then confirms (`delivered_at`) after the send succeeded or releases the claim
when it failed so a later run can try again. A claim whose sender died is taken
over once its lease has run out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import Actor, record
from storage.models import ChannelDelivery, ReminderDelivery, utcnow
from storage.sessions import SessionSource, transaction

# Longer than a send with all its retries can take.
CLAIM_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class DeliveredCase:
    """What the audit log records for a case reminder that reached a staff member."""

    case_id: int
    kind: str


class DeliveryLedger:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def delivered(self, day: date, staff_ids: Collection[int]) -> set[tuple[int, str]]:
        """(staff_id, key) of what already reached these staff members on ``day``."""
        if not staff_ids:
            return set()
        async with self._sessionmaker() as session:
            rows = await session.execute(
                select(ReminderDelivery.staff_id, ReminderDelivery.key).where(
                    ReminderDelivery.day == day,
                    ReminderDelivery.staff_id.in_(list(staff_ids)),
                    ReminderDelivery.delivered_at.is_not(None),
                )
            )
            return {(staff_id, key) for staff_id, key in rows}

    async def claim(
        self, staff_id: int, day: date, keys: Iterable[str], token: str, now: datetime | None = None
    ) -> set[str]:
        """The keys this sender may send now; the others are delivered or being sent."""
        keys = sorted(set(keys))
        if not keys:
            return set()
        now = now or utcnow()
        async with transaction(self._sessionmaker) as session:
            await _insert_missing(
                session,
                ReminderDelivery,
                [
                    {"key": key, "staff_id": staff_id, "day": day, "claim_token": token}
                    for key in keys
                ],
                ["key", "staff_id", "day"],
                now,
            )
            where = (ReminderDelivery.staff_id == staff_id, ReminderDelivery.day == day)
            await _take_over(session, ReminderDelivery, where, keys, token, now)
            claimed = await session.scalars(
                select(ReminderDelivery.key).where(
                    *where, ReminderDelivery.key.in_(keys), ReminderDelivery.claim_token == token
                )
            )
            return set(claimed)

    async def confirm(
        self,
        staff_id: int,
        day: date,
        token: str,
        actor: Actor,
        cases: Iterable[DeliveredCase],
    ) -> None:
        """The send succeeded: mark the claimed rows delivered and audit each case shown."""
        async with transaction(self._sessionmaker) as session:
            await session.execute(
                update(ReminderDelivery)
                .where(
                    ReminderDelivery.staff_id == staff_id,
                    ReminderDelivery.day == day,
                    ReminderDelivery.claim_token == token,
                )
                .values(delivered_at=utcnow())
            )
            for case in cases:
                record(session, actor, "reminder.deliver", case_id=case.case_id, detail=case.kind)

    async def release(self, staff_id: int, day: date, token: str) -> None:
        """The send failed: give the claim back so a later run delivers it."""
        async with transaction(self._sessionmaker) as session:
            await session.execute(
                delete(ReminderDelivery).where(
                    ReminderDelivery.staff_id == staff_id,
                    ReminderDelivery.day == day,
                    ReminderDelivery.claim_token == token,
                    ReminderDelivery.delivered_at.is_(None),
                )
            )

    async def claim_channel(
        self, conversation_id: str, day: date, key: str, token: str, now: datetime | None = None
    ) -> bool:
        now = now or utcnow()
        async with transaction(self._sessionmaker) as session:
            await _insert_missing(
                session,
                ChannelDelivery,
                [
                    {
                        "key": key,
                        "conversation_id": conversation_id,
                        "day": day,
                        "claim_token": token,
                    }
                ],
                ["key", "conversation_id", "day"],
                now,
            )
            where = (ChannelDelivery.conversation_id == conversation_id, ChannelDelivery.day == day)
            await _take_over(session, ChannelDelivery, where, [key], token, now)
            owner = await session.scalar(
                select(ChannelDelivery.claim_token).where(*where, ChannelDelivery.key == key)
            )
            return owner == token

    async def finish_channel(
        self, conversation_id: str, day: date, key: str, token: str, *, sent: bool
    ) -> None:
        """Confirm the post after a successful send, or release the claim after a failed one."""
        where = (
            ChannelDelivery.conversation_id == conversation_id,
            ChannelDelivery.day == day,
            ChannelDelivery.key == key,
            ChannelDelivery.claim_token == token,
        )
        async with transaction(self._sessionmaker) as session:
            if sent:
                await session.execute(
                    update(ChannelDelivery).where(*where).values(delivered_at=utcnow())
                )
            else:
                await session.execute(
                    delete(ChannelDelivery).where(*where, ChannelDelivery.delivered_at.is_(None))
                )


async def _insert_missing(
    session: AsyncSession,
    table: Any,
    rows: list[dict[str, Any]],
    unique: list[str],
    now: datetime,
) -> None:
    insert = sqlite_insert if session.bind.dialect.name == "sqlite" else pg_insert
    statement = insert(table).values([{**row, "claimed_at": now} for row in rows])
    await session.execute(statement.on_conflict_do_nothing(index_elements=unique))


async def _take_over(
    session: AsyncSession,
    table: Any,
    where: tuple[Any, ...],
    keys: list[str],
    token: str,
    now: datetime,
) -> None:
    """Claims left behind by a sender that died before confirming or releasing."""
    await session.execute(
        update(table)
        .where(
            *where,
            table.key.in_(keys),
            table.delivered_at.is_(None),
            table.claimed_at < now - CLAIM_LEASE,
        )
        .values(claim_token=token, claimed_at=now)
    )
