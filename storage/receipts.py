"""Turn receipts: what a user meant is handled once (see `TurnReceipt`)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import TurnReceipt, utcnow
from storage.sessions import SessionSource, transaction


def receipt_key(conversation_id: str, intent: str) -> str:
    """A fixed-size key, whatever the length or characters of the ids it is made of."""
    return hashlib.sha256(f"{conversation_id}\x00{intent}".encode()).hexdigest()


# Built once: every turn runs these, and building a statement costs more than running it.
_HANDLED = select(TurnReceipt.wrote).where(TurnReceipt.key == bindparam("key"))
_KEEP = insert(TurnReceipt)


async def handled(session: AsyncSession, key: str) -> bool | None:
    """None when the turn is new; else whether it wrote case data."""
    wrote: bool | None = await session.scalar(_HANDLED, {"key": key})
    return wrote


async def keep(session: AsyncSession, key: str, *, wrote: bool) -> None:
    """Record the turn in its own transaction; a second instance's concurrent receipt for
    the same key makes one of the two commits fail on the primary key."""
    await session.execute(_KEEP, {"key": key, "created_at": utcnow(), "wrote": wrote})


async def prune(sessions: SessionSource, before: datetime) -> int:
    """Forget receipts older than ``before``; a receipt holds no personal data, only a hash,
    a time and whether the turn wrote."""
    async with transaction(sessions) as session:
        result = await session.execute(delete(TurnReceipt).where(TurnReceipt.created_at < before))
    return int(result.rowcount or 0)
