"""An audited read outside a turn is a writing transaction from its start: a write by another
connection while it reads makes it wait, never fail with "database is locked" (SQLite
refuses to upgrade a read snapshot that another connection has written past)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from storage.audit import Actor, record
from storage.models import AuditEntry
from storage.sessions import audited, transaction

SYSTEM = Actor(label="test", municipality_id=None, role="system")


async def test_a_write_elsewhere_during_an_audited_read_waits_for_it(sessionmaker):
    async def elsewhere() -> None:
        async with transaction(sessionmaker) as session:
            record(session, SYSTEM, "elsewhere")

    async with audited(sessionmaker) as session:
        await session.scalar(select(func.count()).select_from(AuditEntry))
        other = asyncio.create_task(elsewhere())
        await asyncio.sleep(0.3)  # long enough for it to commit, were it not made to wait
        record(session, SYSTEM, "read")
    await other

    async with sessionmaker() as session:
        actions = (await session.scalars(select(AuditEntry.action))).all()
    assert sorted(actions) == ["elsewhere", "read"]
