"""Conversation references: where the bot can reach staff and channels proactively."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
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
        async with self._sessionmaker() as session, session.begin():
            row = await session.scalar(
                select(ConversationRef).where(ConversationRef.conversation_id == conversation_id)
            )
            if row is None:
                row = ConversationRef(conversation_id=conversation_id)
                session.add(row)
            row.conversation_type = conversation_type
            row.reference = reference
            row.aad_object_id = aad_object_id
            row.tenant_id = tenant_id
            row.team_id = team_id
            row.stale = False
            row.updated_at = utcnow()

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
