"""The dialog state of a conversation: one JSON row per key, read and written in the turn.

The row is read with FOR UPDATE: on PostgreSQL a second instance handling a turn of the same
conversation waits until this turn has committed (SQLite has one writer at a time anyway),
so turns of a conversation never overwrite each other's state. A conversation without a
row yet has nothing to lock: its first turn inserts an empty one (a second instance's insert
waits for that turn's commit) and reads it again, locked.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BotStateItem, utcnow


def conversation_key(channel_id: str, conversation_id: str) -> str:
    # The key botbuilder's ConversationState used, so dialogs stored before go on.
    return f"{channel_id}/conversations/{conversation_id}"


# Built once: every turn runs these, and building a statement costs more than running it.
_READ = select(BotStateItem.data).where(BotStateItem.key == bindparam("key")).with_for_update()
_CREATE = {
    "sqlite": sqlite_insert(BotStateItem).on_conflict_do_nothing(index_elements=[BotStateItem.key]),
    "postgresql": pg_insert(BotStateItem).on_conflict_do_nothing(index_elements=[BotStateItem.key]),
}
_WRITE = {
    dialect: insert.on_conflict_do_update(
        index_elements=[BotStateItem.key],
        set_={name: insert.excluded[name] for name in ("data", "updated_at")},
    )
    for dialect, insert in (
        ("sqlite", sqlite_insert(BotStateItem)),
        ("postgresql", pg_insert(BotStateItem)),
    )
}


async def read_locked(session: AsyncSession, key: str) -> dict[str, Any]:
    """The stored state (empty when there is none), locked until the turn commits."""
    data = await session.scalar(_READ, {"key": key})
    if data is None:
        await session.execute(
            _CREATE[session.bind.dialect.name], {"key": key, "data": "{}", "updated_at": utcnow()}
        )
        data = await session.scalar(_READ, {"key": key})
    return json.loads(data) if data else {}


async def write(session: AsyncSession, key: str, state: dict[str, Any]) -> None:
    await session.execute(
        _WRITE[session.bind.dialect.name],
        {"key": key, "data": json.dumps(state), "updated_at": utcnow()},
    )
