"""Conversation references: where the bot can reach staff and channels proactively."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConversationRef, Staff, utcnow
from storage.sessions import SessionSource, transaction


async def remember_conversation(
    session: AsyncSession,
    *,
    conversation_id: str,
    conversation_type: str,
    reference: dict[str, Any],
    aad_object_id: str | None,
    tenant_id: str | None,
    team_id: str | None,
    sender_aad_object_id: str | None = None,
) -> None:
    """Store where to reach this conversation, in the turn's transaction, when it changed
    (a conversation marked stale is usable again now that someone wrote there); a team
    channel also learns its municipality from the staff member who wrote or installed the
    bot there."""
    values = {
        "conversation_id": conversation_id,
        "conversation_type": conversation_type,
        "reference": reference,
        "aad_object_id": aad_object_id,
        "tenant_id": tenant_id,
        "team_id": team_id,
        "stale": False,
    }
    municipality_id = None
    if conversation_type != "personal" and sender_aad_object_id:
        municipality_id = await session.scalar(
            _SENDER_MUNICIPALITY, {"aad_object_id": sender_aad_object_id}
        )
    stored = (await session.execute(_STORED, {"conversation_id": conversation_id})).one_or_none()
    wanted = {**values, "municipality_id": municipality_id}
    if stored is not None and all(
        getattr(stored, name) == wanted[name]
        for name in _COMPARED
        if name != "municipality_id" or municipality_id is not None
    ):
        return
    if municipality_id is None and stored is not None:
        # A sender who is not staff leaves the channel's municipality as it was.
        municipality_id = stored.municipality_id
    values.update(municipality_id=municipality_id, updated_at=utcnow())
    # Teams sends installationUpdate and conversationUpdate at the same moment, possibly to
    # two instances: an upsert lets both turns store the reference without a unique-key clash.
    await session.execute(_UPSERT[session.bind.dialect.name], values)


_COMPARED = (
    "conversation_id",
    "conversation_type",
    "reference",
    "aad_object_id",
    "tenant_id",
    "team_id",
    "stale",
    "municipality_id",
)
# Built once: every turn runs these, and building a statement costs more than running it.
_STORED = select(*(ConversationRef.__table__.c[name] for name in _COMPARED)).where(
    ConversationRef.conversation_id == bindparam("conversation_id")
)
_SENDER_MUNICIPALITY = select(Staff.municipality_id).where(
    Staff.aad_object_id == bindparam("aad_object_id"), Staff.active
)
_UPSERT = {
    dialect: insert.on_conflict_do_update(
        index_elements=[ConversationRef.conversation_id],
        set_={
            name: insert.excluded[name]
            for name in (*_COMPARED, "updated_at")
            if name != "conversation_id"
        },
    )
    for dialect, insert in (
        ("sqlite", sqlite_insert(ConversationRef)),
        ("postgresql", pg_insert(ConversationRef)),
    )
}


class ConversationStore:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def remember(self, **reference: Any) -> None:
        """`remember_conversation` in a transaction of its own (a turn uses its own)."""
        async with transaction(self._sessionmaker) as session:
            await remember_conversation(session, **reference)

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

    async def mark_stale(self, conversation_id: str) -> None:
        """The bot was removed or blocked there: stop sending until someone writes again."""
        async with transaction(self._sessionmaker) as session:
            await session.execute(
                update(ConversationRef)
                .where(ConversationRef.conversation_id == conversation_id)
                .values(stale=True, updated_at=utcnow())
            )

    async def reachable_personal(self, aad_object_ids: list[str]) -> dict[str, ConversationRef]:
        """The newest usable 1:1 conversation per staff member; stale ones are left out."""
        if not aad_object_ids:
            return {}
        async with self._sessionmaker() as session:
            rows = await session.scalars(
                select(ConversationRef)
                .where(
                    ConversationRef.aad_object_id.in_(aad_object_ids),
                    ConversationRef.conversation_type == "personal",
                    ConversationRef.stale.is_(False),
                )
                .order_by(ConversationRef.updated_at)
            )
            return {row.aad_object_id: row for row in rows if row.aad_object_id}

    async def team_channels(
        self, municipality_ids: Collection[int]
    ) -> dict[int, list[ConversationRef]]:
        """Each municipality's usable team channels; never a 1:1 chat or a group chat. One
        query for all: the daily job posts to every municipality's channels at once."""
        channels: dict[int, list[ConversationRef]] = {}
        if not municipality_ids:
            return channels
        async with self._sessionmaker() as session:
            rows = await session.scalars(
                select(ConversationRef)
                .where(
                    ConversationRef.municipality_id.in_(municipality_ids),
                    ConversationRef.conversation_type == "channel",
                    ConversationRef.stale.is_(False),
                )
                .order_by(ConversationRef.id)
            )
            for row in rows:
                channels.setdefault(row.municipality_id, []).append(row)
        return channels
