"""Counting the cases that reach no coordinator, from the store, on both databases."""

from __future__ import annotations

from sqlalchemy import update

from scheduler.unattended import Unattended, load_unattended
from storage.conversations import ConversationStore
from storage.models import ConversationRef, Staff
from tests.integration.reminder_setup import seed


async def test_unassigned_stale_silent_and_deactivated_holders_are_counted(sessionmaker):
    seeded = await seed(
        sessionmaker, "http://127.0.0.1:9/", staff_count=4, cases_per_staff=2, unassigned=3
    )
    other = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, code="0682")
    _reached, _stale, silent, left = seeded.staff_aad
    await ConversationStore(sessionmaker).mark_stale("personal-0580-1")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Staff).where(Staff.aad_object_id == left).values(active=False))
        # "silent" never wrote to the bot: no 1:1 conversation of theirs is stored.
        await session.execute(
            update(ConversationRef)
            .where(ConversationRef.aad_object_id == silent)
            .values(aad_object_id=None)
        )

    counts = await load_unattended(sessionmaker, [seeded.municipality_id, other.municipality_id])

    assert counts[seeded.municipality_id] == Unattended(
        unassigned=3, deactivated=2, no_conversation=2, stale=2
    )
    assert counts[other.municipality_id] == Unattended()
