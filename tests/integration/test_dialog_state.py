"""Two turns of one conversation at once, as two bot instances on one database, never lose
a write of the dialog state: the second reads what the first committed (storage.bot_state
locks the row FOR UPDATE on PostgreSQL; SQLite's turns take its one write lock)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import bot_state
from storage.db import create_engine, create_sessionmaker

KEY = bot_state.conversation_key("msteams", "a:personal-1")


async def _turn(sessionmaker: async_sessionmaker[AsyncSession], name: str) -> None:
    """What a turn does with the state (bot.turns, bot.handler), counting the turns seen."""
    async with sessionmaker() as session, session.begin():
        state = await bot_state.read_locked(session, KEY)
        # The dialog runs here: long enough for the other instance's turn to read too.
        await asyncio.sleep(0.2)
        await bot_state.write(session, KEY, {**state, "seen": [*state.get("seen", []), name]})


@pytest.mark.parametrize("stored_before", [True, False], ids=["known", "new"])
async def test_two_turns_at_once_on_two_instances_keep_both_writes(
    database_url, sessionmaker, stored_before
):
    if stored_before:
        async with sessionmaker() as session, session.begin():
            await bot_state.write(session, KEY, {"seen": []})
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        await asyncio.gather(
            *(
                _turn(create_sessionmaker(engine, writes=True), name)
                for engine, name in zip(engines, "ab", strict=True)
            )
        )
    finally:
        for engine in engines:
            await engine.dispose()

    async with sessionmaker() as session:
        state = await bot_state.read_locked(session, KEY)
    assert sorted(state["seen"]) == ["a", "b"]
