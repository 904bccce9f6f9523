"""One digest per person and working day, whatever happens: re-runs, a failing recipient,
a sender that died, restarts and two instances at once on one database."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from scheduler.daily import DailyJob
from scheduler.delivery import DIGEST_ATTEMPTS, Status
from scheduler.messages import MAX_DIGEST_ITEMS, Message, PersonalDigest, SendOutcome, StaffNotice
from storage.cases import CaseService
from storage.db import create_engine, create_sessionmaker
from storage.deliveries import DeliveryLedger
from storage.models import DigestDelivery, ReminderDelivery
from tests.integration.reminder_setup import (
    FIRST_CONTACT_DAY,
    SYSTEM,
    Clock,
    register,
    remember_chat,
    seed,
)

MORNING = datetime(2026, 3, 4, 6, 30, tzinfo=UTC)
# The promise, written out rather than taken from storage.deliveries: a claim whose sender
# died is taken over after ten minutes, not after whatever the constant says.
LEASE = timedelta(minutes=10)


class Recorder:
    """Records every message; conversations listed in ``failing`` answer FAILED."""

    def __init__(self, *failing: str, pause: float = 0.0) -> None:
        self.failing = set(failing)
        self.pause = pause
        self.sent: list[tuple[str, Message]] = []

    async def __call__(self, ref: dict[str, Any], message: Message) -> SendOutcome:
        await asyncio.sleep(self.pause)
        conversation = ref["conversation"]["id"]
        if conversation in self.failing:
            return SendOutcome.FAILED
        self.sent.append((conversation, message))
        return SendOutcome.SENT

    def digests(self, conversation: str) -> list[PersonalDigest]:
        return [m for c, m in self.sent if c == conversation and isinstance(m, PersonalDigest)]


def _statuses(report, staff: str) -> list[Status]:
    return sorted(item.status for item in report.items if item.staff == staff)


async def test_three_runs_send_one_digest_even_with_more_than_fits(sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=25)
    send = Recorder()
    aad = seeded.staff_aad[0]

    first = await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY)
    # A case that comes in after the digest: its reminder waits for tomorrow.
    await register(CaseService(sessionmaker), aad, serial=99)
    runs = [await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY) for _ in range(2)]

    assert len(send.sent) == 1
    [digest] = send.digests("personal-0580-0")
    assert len(digest.digest.today) == MAX_DIGEST_ITEMS and digest.more == 5
    assert first.counts() == {"sent": MAX_DIGEST_ITEMS, "later": 5}
    for again in runs:
        assert again.counts() == {"already_sent": MAX_DIGEST_ITEMS, "later": 6}
        assert again.complete
    assert _statuses(first, aad).count(Status.SENT) == MAX_DIGEST_ITEMS
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(DigestDelivery)) == 1
        rows = await session.scalar(select(func.count()).select_from(ReminderDelivery))
    assert rows == MAX_DIGEST_ITEMS
    tomorrow = await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY + timedelta(days=1))
    assert tomorrow.counts()["sent"] == MAX_DIGEST_ITEMS and len(send.sent) == 2


async def _manager(sessionmaker, code: str = "0580") -> str:
    aad = f"{code}-manager"
    await CaseService(sessionmaker).add_staff(SYSTEM, aad, "Maja Chef", "manager", code)
    return await remember_chat(sessionmaker, aad)


async def test_a_failing_recipient_is_retried_alone_then_reported_to_the_managers(sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=2, cases_per_staff=1)
    manager = await _manager(sessionmaker)
    clock = Clock(MORNING)
    send = Recorder("personal-0580-0")
    failing, working = seeded.staff_aad

    def job() -> DailyJob:  # a new job each run: a restart remembers nothing
        return DailyJob(sessionmaker, send, clock=clock, rng=random.Random(3))

    report = await job().run(FIRST_CONTACT_DAY)
    assert _statuses(report, failing) == [Status.FAILED]
    assert _statuses(report, working) == [Status.SENT]
    waits = []
    for attempt in range(2, DIGEST_ATTEMPTS + 1):
        [retry_at] = report.pending.values()
        waits.append(retry_at - clock.now)
        clock.now = retry_at - timedelta(seconds=1)
        early = await job().run(FIRST_CONTACT_DAY)
        assert _statuses(early, failing) == [Status.RETRY_LATER]
        clock.now = retry_at
        report = await job().run(FIRST_CONTACT_DAY)
        assert _statuses(report, working) == [Status.ALREADY_SENT]
        if attempt < DIGEST_ATTEMPTS:
            assert _statuses(report, failing) == [Status.FAILED]

    assert _statuses(report, failing) == [Status.GAVE_UP] and report.complete
    assert waits[0] < waits[1] < waits[2]
    assert len(send.digests("personal-0580-1")) == 1
    [(to, notice)] = [(c, m) for c, m in send.sent if isinstance(m, StaffNotice)]
    assert to == manager and "Handläggare 0" in notice.text and "4 försök" in notice.text
    assert "Testa" not in notice.text  # no youth named
    clock.advance(hours=3)
    later = await job().run(FIRST_CONTACT_DAY)
    assert _statuses(later, failing) == [Status.GAVE_UP] and later.complete
    assert len(send.sent) == 2


async def test_a_claim_whose_sender_died_is_taken_over_after_the_lease(sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=1)
    member = await CaseService(sessionmaker).staff_by_aad_id(seeded.staff_aad[0])
    clock = Clock(MORNING)
    ledger = DeliveryLedger(sessionmaker)
    assert await ledger.claim_digest(member.id, FIRST_CONTACT_DAY, "died", MORNING, 4)
    send = Recorder()

    clock.advance(minutes=9, seconds=59)
    blocked = await DailyJob(sessionmaker, send, clock=clock).run(FIRST_CONTACT_DAY)
    assert blocked.counts() == {"claimed_elsewhere": 1} and not send.sent
    assert blocked.pending == {seeded.municipality_id: MORNING + LEASE}
    clock.now = MORNING + LEASE + timedelta(seconds=1)
    taken = await DailyJob(sessionmaker, send, clock=clock).run(FIRST_CONTACT_DAY)
    assert taken.counts() == {"sent": 1} and len(send.sent) == 1


async def test_ledger_leases_for_digests_and_channel_posts(sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=0)
    member = await CaseService(sessionmaker).staff_by_aad_id(seeded.staff_aad[0])
    ledger = DeliveryLedger(sessionmaker)
    day, lease = FIRST_CONTACT_DAY, LEASE
    almost, after = MORNING + lease - timedelta(seconds=1), MORNING + lease + timedelta(seconds=1)

    assert await ledger.claim_digest(member.id, day, "a", MORNING, DIGEST_ATTEMPTS)
    assert not await ledger.claim_digest(member.id, day, "b", almost, DIGEST_ATTEMPTS)
    assert await ledger.claim_digest(member.id, day, "b", after, DIGEST_ATTEMPTS)
    assert await ledger.claim_channel("19:kanal", day, "weekly", "a", MORNING)
    assert not await ledger.claim_channel("19:kanal", day, "weekly", "b", almost)
    assert await ledger.claim_channel("19:kanal", day, "weekly", "b", after)


async def test_two_instances_at_once_send_each_digest_once(database_url, sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=3, cases_per_staff=2)
    engines = [create_engine(database_url) for _ in range(2)]
    send = Recorder(pause=0.05)
    try:
        reports = await asyncio.gather(
            *(
                DailyJob(create_sessionmaker(engine), send).run(FIRST_CONTACT_DAY)
                for engine in engines
            )
        )
    finally:
        for engine in engines:
            await engine.dispose()

    assert sorted(c for c, _m in send.sent) == [f"personal-0580-{n}" for n in range(3)]
    statuses = [item.status for report in reports for item in report.items]
    assert statuses.count(Status.SENT) == len(seeded.case_ids)
    assert set(statuses) <= {Status.SENT, Status.CLAIMED_ELSEWHERE, Status.ALREADY_SENT}
