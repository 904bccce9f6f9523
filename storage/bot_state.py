"""The dialog state of a conversation: one JSON row per key, read and written in the turn.

The row is read with FOR UPDATE: on PostgreSQL a second instance handling a turn of the same
conversation waits until this turn has committed (SQLite has one writer at a time anyway),
so turns of a conversation never overwrite each other's state.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BotStateItem, utcnow


def conversation_key(channel_id: str, conversation_id: str) -> str:
    # The key botbuilder's ConversationState used, so dialogs stored before go on.
    return f"{channel_id}/conversations/{conversation_id}"


async def read_locked(session: AsyncSession, key: str) -> dict[str, Any]:
    """The stored state (empty when there is none), locked until the turn commits."""
    data = await session.scalar(
        select(BotStateItem.data).where(BotStateItem.key == key).with_for_update()
    )
    return json.loads(data) if data else {}


async def write(session: AsyncSession, key: str, state: dict[str, Any]) -> None:
    values = {"key": key, "data": json.dumps(state), "updated_at": utcnow()}
    insert = sqlite_insert if session.bind.dialect.name == "sqlite" else pg_insert
    statement = insert(BotStateItem).values(**values)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[BotStateItem.key],
            set_={name: statement.excluded[name] for name in ("data", "updated_at")},
        )
    )
