"""The delivery ledger: one digest per staff member and day, each channel post once a day.

The database is the guard, so it holds across restarts and across bot instances
sharing one PostgreSQL: a sender first claims a row (INSERT … ON CONFLICT DO NOTHING
on the unique key, then a conditional UPDATE, with its own token), sends only when it
holds the claim, then confirms (`delivered_at`) after the send succeeded or gives the
claim back when it failed, so a later run can try again. A claim whose sender died is
taken over once its lease has run out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import Actor, record
from storage.models import ChannelDelivery, DigestDelivery, ReminderDelivery, as_utc, utcnow
from storage.sessions import SessionSource, transaction

# Longer than a send with all its retries can take.
CLAIM_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class DeliveredCase:
    """What the audit log records for a case reminder that reached a staff member."""

    case_id: int
    kind: str


@dataclass(frozen=True)
class DigestRecord:
    """Where one staff member's digest of the day stands."""

    delivered: bool
    failures: int
    retry_at: datetime | None
    # Until when another sender holds the claim (None when nobody does).
    claimed_until: datetime | None
    reported: bool


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
                )
            )
            return {(staff_id, key) for staff_id, key in rows}

    async def digests(self, day: date, staff_ids: Collection[int]) -> dict[int, DigestRecord]:
        """The day's digest of each of these staff members that has a row."""
        if not staff_ids:
            return {}
        async with self._sessionmaker() as session:
            rows = await session.scalars(
                select(DigestDelivery).where(
                    DigestDelivery.day == day, DigestDelivery.staff_id.in_(list(staff_ids))
                )
            )
            return {
                row.staff_id: DigestRecord(
                    delivered=row.delivered_at is not None,
                    failures=row.failures,
                    retry_at=as_utc(row.retry_at) if row.retry_at else None,
                    claimed_until=as_utc(row.claimed_at) + CLAIM_LEASE
                    if row.claim_token is not None and row.claimed_at is not None
                    else None,
                    reported=row.reported_at is not None,
                )
                for row in rows
            }

    async def claim_digest(
        self, staff_id: int, day: date, token: str, now: datetime, max_failures: int
    ) -> bool:
        """Whether this sender may send the day's digest now: nobody delivered it or holds a
        live claim, its next attempt is due, and it has failed fewer than ``max_failures``."""
        where = (DigestDelivery.staff_id == staff_id, DigestDelivery.day == day)
        async with transaction(self._sessionmaker) as session:
            await _insert_missing(
                session,
                DigestDelivery,
                [{"staff_id": staff_id, "day": day, "claim_token": token, "failures": 0}],
                ["staff_id", "day"],
                now,
            )
            await session.execute(
                update(DigestDelivery)
                .where(
                    *where,
                    DigestDelivery.delivered_at.is_(None),
                    DigestDelivery.failures < max_failures,
                    or_(DigestDelivery.retry_at.is_(None), DigestDelivery.retry_at <= now),
                    or_(
                        DigestDelivery.claim_token.is_(None),
                        DigestDelivery.claimed_at < now - CLAIM_LEASE,
                    ),
                )
                .values(claim_token=token, claimed_at=now)
            )
            owner = await session.scalar(select(DigestDelivery.claim_token).where(*where))
            return owner == token

    async def confirm_digest(
        self,
        staff_id: int,
        day: date,
        token: str,
        keys: Iterable[str],
        actor: Actor,
        cases: Iterable[DeliveredCase],
        now: datetime,
    ) -> None:
        """The send succeeded: the digest and its reminders are delivered, each case shown
        is audited, in one transaction."""
        async with transaction(self._sessionmaker) as session:
            await session.execute(
                update(DigestDelivery)
                .where(
                    DigestDelivery.staff_id == staff_id,
                    DigestDelivery.day == day,
                    DigestDelivery.claim_token == token,
                )
                .values(delivered_at=now, claim_token=None, retry_at=None)
            )
            rows = [{"key": k, "staff_id": staff_id, "day": day} for k in sorted(set(keys))]
            if rows:
                await _insert_missing(
                    session, ReminderDelivery, rows, ["key", "staff_id", "day"], now, "delivered_at"
                )
            for case in cases:
                record(session, actor, "reminder.deliver", case_id=case.case_id, detail=case.kind)

    async def fail_digest(
        self,
        staff_id: int,
        day: date,
        token: str,
        now: datetime,
        next_attempt: Callable[[int], datetime | None],
    ) -> tuple[int, datetime | None]:
        """The send failed: give the claim back, count the failure and set when to try again
        (``next_attempt`` of the failures so far; None: not again). Returns both."""
        where = (
            DigestDelivery.staff_id == staff_id,
            DigestDelivery.day == day,
            DigestDelivery.claim_token == token,
        )
        async with transaction(self._sessionmaker) as session:
            failures = await session.scalar(select(DigestDelivery.failures).where(*where))
            if failures is None:  # the claim was taken over meanwhile: that sender decides
                return 0, None
            retry_at = next_attempt(failures + 1)
            await session.execute(
                update(DigestDelivery)
                .where(*where)
                .values(claim_token=None, claimed_at=None, failures=failures + 1, retry_at=retry_at)
            )
            return failures + 1, retry_at

    async def release_digest(self, staff_id: int, day: date, token: str) -> None:
        """Give the claim back without counting a failure (the chat is gone, not failing)."""
        async with transaction(self._sessionmaker) as session:
            await session.execute(
                update(DigestDelivery)
                .where(
                    DigestDelivery.staff_id == staff_id,
                    DigestDelivery.day == day,
                    DigestDelivery.claim_token == token,
                )
                .values(claim_token=None, claimed_at=None)
            )

    async def claim_report(self, staff_id: int, day: date, now: datetime) -> bool:
        """Whether this sender tells the managers that the digest kept failing (one does)."""
        async with transaction(self._sessionmaker) as session:
            result = await session.execute(
                update(DigestDelivery)
                .where(
                    DigestDelivery.staff_id == staff_id,
                    DigestDelivery.day == day,
                    DigestDelivery.delivered_at.is_(None),
                    DigestDelivery.reported_at.is_(None),
                )
                .values(reported_at=now)
            )
            return result.rowcount == 1

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
            await session.execute(
                update(ChannelDelivery)
                .where(
                    *where,
                    ChannelDelivery.key == key,
                    ChannelDelivery.delivered_at.is_(None),
                    ChannelDelivery.claimed_at < now - CLAIM_LEASE,
                )
                .values(claim_token=token, claimed_at=now)
            )
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
    stamp: str = "claimed_at",
) -> None:
    """Insert the rows whose unique key is not taken yet, stamped ``now``."""
    insert = sqlite_insert if session.bind.dialect.name == "sqlite" else pg_insert
    statement = insert(table).values([{**row, stamp: now} for row in rows])
    await session.execute(statement.on_conflict_do_nothing(index_elements=unique))
