"""The daily reminder job for one date: due reminders to each staff member, counts to channels.

The job plans the day (planning.py), gives each staff member one digest through the
delivery ledger (delivery.py) – a manager's also says how many cases reach no
coordinator – and posts the counts to the team channels (channel_posts.py). Sending is
the caller's: the job gets a ``send`` function and never sees the Bot Framework. Logs
hold kinds and counts only.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.calendar import is_digest_day
from scheduler.channel_posts import ChannelPoster
from scheduler.delivery import (
    DIGEST_RETRY,
    DigestSender,
    ItemResult,
    Outbox,
    Recipient,
    Status,
    result,
)
from scheduler.labels import load_case_labels
from scheduler.loading import StaffRow
from scheduler.messages import Send
from scheduler.planning import plan_day
from scheduler.rules import DueReminder
from storage.codes import Role
from storage.conversations import ConversationStore
from storage.deliveries import DeliveryLedger
from storage.models import utcnow

log = logging.getLogger(__name__)

CONCURRENT_SENDS = 8


@dataclass
class DayReport:
    today: date
    digest_day: bool
    items: list[ItemResult] = field(default_factory=list)
    channel_posts: list[tuple[str, Status]] = field(default_factory=list)
    # Per municipality, when a later run could deliver what this one could not: a digest
    # waiting for its next attempt, a claim another sender may give up, a failed post.
    pending: dict[int, datetime] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Nothing is left that a later run the same day could still deliver."""
        return not self.pending

    def counts(self) -> Counter[str]:
        return Counter(str(item.status) for item in self.items)

    def wait_for(self, municipality_id: int, until: datetime | None) -> None:
        if until is not None:
            earlier = self.pending.get(municipality_id, until)
            self.pending[municipality_id] = min(earlier, until)


class DailyJob:
    """Runs the day's reminders; ``send`` comes from the bot, ``clock`` and ``rng`` are seams
    for tests (the current UTC time, the jitter of retries)."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        send: Send,
        *,
        concurrency: int = CONCURRENT_SENDS,
        clock: Callable[[], datetime] = utcnow,
        rng: random.Random | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._ledger = DeliveryLedger(sessionmaker)
        self._conversations = ConversationStore(sessionmaker)
        self._clock = clock
        outbox = Outbox(
            self._ledger,
            self._conversations,
            send,
            asyncio.Semaphore(concurrency),
            clock,
            rng or random.Random(),
        )
        self._digests = DigestSender(outbox)
        self._channels = ChannelPoster(outbox)

    async def run(
        self,
        today: date,
        *,
        municipality_ids: Collection[int] | None = None,
        dry_run: bool = False,
    ) -> DayReport:
        if not is_digest_day(today):
            log.info("Reminders: %s is no working day, no digest", today.isoformat())
            return DayReport(today=today, digest_day=False)
        plan = await plan_day(self._sessionmaker, today, municipality_ids)
        report = DayReport(today=today, digest_day=True)
        per_staff: dict[int, list[DueReminder]] = {}
        unassigned: list[DueReminder] = []
        for by_staff in plan.due.values():
            for staff_id, reminders in by_staff.items():
                if staff_id is None:
                    unassigned += reminders
                else:
                    per_staff.setdefault(staff_id, []).extend(reminders)
        notes = plan.unattended_notes()
        for staff_id in notes:
            per_staff.setdefault(staff_id, [])  # a manager's digest, reminders or not
        async with self._sessionmaker() as session:
            labels = await load_case_labels(
                session,
                [r.case_id for rs in (unassigned, *per_staff.values()) for r in rs if r.case_id],
            )
        report.items += [result(r, labels, None, Status.UNASSIGNED) for r in unassigned]

        recipients = await self._recipients(plan.staff, list(per_staff), today)
        outcomes = await asyncio.gather(
            *(
                self._digests.deliver(
                    recipients[staff_id], reminders, labels, today, dry_run, notes.get(staff_id, "")
                )
                for staff_id, reminders in sorted(per_staff.items())
            )
        )
        for staff_id, outcome in zip(sorted(per_staff), outcomes, strict=True):
            report.items += outcome.items
            report.wait_for(plan.staff[staff_id].municipality_id, outcome.retry_at)
        for municipality_id, key, status in await self._channels.post(plan, today, dry_run):
            report.channel_posts.append((key, status))
            if status == Status.FAILED:
                retry = self._clock() + timedelta(seconds=DIGEST_RETRY.base)
                report.wait_for(municipality_id, retry)
        counts = report.counts()
        log.info(
            "Reminders for %s: %s; channel posts %d",
            today.isoformat(),
            ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "nothing due",
            sum(1 for _key, status in report.channel_posts if status == Status.SENT),
        )
        return report

    async def _recipients(
        self, staff: Mapping[int, StaffRow], staff_ids: list[int], today: date
    ) -> dict[int, Recipient]:
        # The digests first: a digest and the keys it showed commit together, so keys read
        # afterwards include those of every digest read as delivered, even when another
        # instance confirms one in between (the other order reported its items as "later").
        records = await self._ledger.digests(today, staff_ids)
        delivered = await self._ledger.delivered(today, staff_ids)
        references = await self._conversations.reachable_personal(
            [staff[staff_id].aad_object_id for staff_id in staff_ids]
        )
        shown: dict[int, set[str]] = {}
        for owner, key in delivered:
            shown.setdefault(owner, set()).add(key)
        managers: dict[int, list[StaffRow]] = {}
        for member in staff.values():
            if member.role == Role.MANAGER:
                managers.setdefault(member.municipality_id, []).append(member)
        return {
            staff_id: Recipient(
                member=staff[staff_id],
                reference=references.get(staff[staff_id].aad_object_id),
                record=records.get(staff_id),
                delivered=frozenset(shown.get(staff_id, ())),
                managers=managers.get(staff[staff_id].municipality_id, []),
            )
            for staff_id in staff_ids
        }
