"""Files offered with Teams' file consent card, kept until the user answers (`PendingFile`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PendingFile, utcnow
from storage.sessions import SessionSource, transaction


def offer(
    session: AsyncSession, conversation_id: str, name: str, content_type: str, data: bytes
) -> str:
    """Keep the file in the turn's transaction; returns the token the consent card carries."""
    token = uuid.uuid4().hex
    session.add(
        PendingFile(
            token=token,
            conversation_id=conversation_id,
            name=name[:200],
            content_type=content_type,
            data=data,
            created_at=utcnow(),
        )
    )
    return token


async def take(session: AsyncSession, token: str, conversation_id: str) -> PendingFile | None:
    """The file offered in this conversation under ``token``, removed so it goes out once."""
    pending = await session.scalar(
        select(PendingFile)
        .where(PendingFile.token == token, PendingFile.conversation_id == conversation_id)
        .with_for_update()
    )
    if pending is not None:
        await session.delete(pending)
    return pending


async def prune(sessions: SessionSource, before: datetime) -> int:
    """Forget files nobody answered for: an offer is a moment's question, and they may hold
    personal data."""
    async with transaction(sessions) as session:
        result = await session.execute(delete(PendingFile).where(PendingFile.created_at < before))
    return int(result.rowcount or 0)
