"""Old turn receipts and unanswered file offers are forgotten; recent ones are kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from storage import pending_files, receipts
from storage.models import PendingFile, TurnReceipt
from storage.sessions import transaction

NOW = datetime(2027, 1, 5, 12, tzinfo=UTC)


async def test_old_receipts_and_file_offers_go_recent_ones_stay(sessionmaker):
    async with transaction(sessionmaker) as session:
        for name in ("old", "new"):
            await receipts.keep(session, receipts.receipt_key("c", name), wrote=True)
            pending_files.offer(session, "c", f"{name}.pdf", "application/pdf", b"%PDF")
    async with transaction(sessionmaker) as session:
        long_ago = NOW - timedelta(days=500)
        await session.execute(
            update(TurnReceipt)
            .where(TurnReceipt.key == receipts.receipt_key("c", "old"))
            .values(created_at=long_ago)
        )
        await session.execute(
            update(PendingFile).where(PendingFile.name == "old.pdf").values(created_at=long_ago)
        )
        await session.execute(
            update(TurnReceipt)
            .where(TurnReceipt.key == receipts.receipt_key("c", "new"))
            .values(created_at=NOW)
        )
        await session.execute(
            update(PendingFile).where(PendingFile.name == "new.pdf").values(created_at=NOW)
        )

    assert await receipts.prune(sessionmaker, NOW - timedelta(days=400)) == 1
    assert await pending_files.prune(sessionmaker, NOW - timedelta(hours=24)) == 1

    async with sessionmaker() as session:
        assert await receipts.handled(session, receipts.receipt_key("c", "new")) is True
        assert await receipts.handled(session, receipts.receipt_key("c", "old")) is None
        assert list(await session.scalars(select(PendingFile.name))) == ["new.pdf"]
