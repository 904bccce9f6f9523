"""Conversation references: where the bot can reach staff and channels proactively."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import ConversationRef, utcnow


class ConversationStore:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def remember(
        self,
        *,
        conversation_id: str,
        conversation_type: str,
        reference: dict[str, Any],
        aad_object_id: str | None,
        tenant_id: str | None,
        team_id: str | None,
    ) -> None:
        values = {
            "conversation_id": conversation_id,
            "conversation_type": conversation_type,
            "reference": reference,
            "aad_object_id": aad_object_id,
            "tenant_id": tenant_id,
            "team_id": team_id,
            "stale": False,
            "updated_at": utcnow(),
        }
        async with self._sessionmaker() as session, session.begin():
            # Teams sends installationUpdate and conversationUpdate at the same moment:
            # an upsert lets both turns store the reference without a unique-key clash.
            insert = sqlite_insert if session.bind.dialect.name == "sqlite" else pg_insert
            statement = insert(ConversationRef).values(**values)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[ConversationRef.conversation_id],
                    set_={key: statement.excluded[key] for key in values},
                )
            )

    async def personal(self, aad_object_id: str) -> ConversationRef | None:
        async with self._sessionmaker() as session:
            return await session.scalar(
                select(ConversationRef)
                .where(
                    ConversationRef.aad_object_id == aad_object_id,
                    ConversationRef.conversation_type == "personal",
                )
                .order_by(ConversationRef.updated_at.desc())
                .limit(1)
            )
