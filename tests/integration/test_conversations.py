"""Conversation references: concurrent turns of a new conversation store one row."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from storage.conversations import ConversationStore
from storage.models import ConversationRef


async def test_simultaneous_first_turns_store_one_reference(sessionmaker):
    store = ConversationStore(sessionmaker)

    async def remember(service_url: str) -> None:
        await store.remember(
            conversation_id="a:new-conversation",
            conversation_type="personal",
            reference={"serviceUrl": service_url},
            aad_object_id="aad-1",
            tenant_id="tenant-1",
            team_id=None,
        )

    await asyncio.gather(*(remember(f"http://connector/{n}") for n in range(8)))
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ConversationRef)) == 1
    found = await store.personal("aad-1")
    assert found is not None and found.reference["serviceUrl"].startswith("http://connector/")
    await remember("http://connector/latest")
    assert (await store.personal("aad-1")).reference == {"serviceUrl": "http://connector/latest"}
