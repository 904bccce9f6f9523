"""Key-value rows for the bot's dialog, conversation and user state, with etags."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import BotStateItem, utcnow


class EtagConflict(Exception):
    pass


class BotStateStore:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def read(self, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
        """key -> (data, etag) for the keys that exist."""
        keys = list(keys)
        if not keys:
            return {}
        async with self._sessionmaker() as session:
            rows = await session.scalars(select(BotStateItem).where(BotStateItem.key.in_(keys)))
            return {row.key: (row.data, row.etag) for row in rows}

    async def write(self, changes: dict[str, tuple[str, str | None]]) -> dict[str, str]:
        """Write key -> (data, expected etag or None/'*' for any); returns the new etags."""
        written: dict[str, str] = {}
        async with self._sessionmaker() as session, session.begin():
            for key, (data, expected) in changes.items():
                row = await session.get(BotStateItem, key, with_for_update=True)
                etag = uuid.uuid4().hex
                if row is None:
                    session.add(BotStateItem(key=key, data=data, etag=etag))
                elif expected not in (None, "*") and expected != row.etag:
                    raise EtagConflict(key)
                else:
                    row.data, row.etag, row.updated_at = data, etag, utcnow()
                written[key] = etag
        return written

    async def delete(self, keys: Iterable[str]) -> None:
        async with self._sessionmaker() as session, session.begin():
            await session.execute(delete(BotStateItem).where(BotStateItem.key.in_(list(keys))))
