"""The daily reminder job for one date: due reminders to each staff member, counts to channels.

The job plans the day (planning.py), gives each staff member one digest through the
delivery ledger (delivery.py) and posts the counts to the team channels
(channel_posts.py). Sending is the caller's: the job gets a ``send`` function and never
sees the Bot Framework. Logs hold kinds and counts only.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.calendar import is_digest_day
from scheduler.channel_posts import ChannelPoster
from scheduler.delivery import DigestDelivery, ItemResult, Outbox, Status, result
from scheduler.loading import load_case_labels
from scheduler.messages import Send
from scheduler.planning import plan_day
from scheduler.rules import DueReminder
from storage.conversations import ConversationStore
from storage.deliveries import DeliveryLedger

log = logging.getLogger(__name__)

CONCURRENT_SENDS = 8


@dataclass
class DayReport:
    today: date
    digest_day: bool
    items: list[ItemResult] = field(default_factory=list)
    channel_posts: list[tuple[str, Status]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Nothing is left that a later run the same day could still deliver."""
        retry = {Status.FAILED, Status.CLAIMED_ELSEWHERE}
        return all(item.status not in retry for item in self.items) and all(
            status not in retry for _key, status in self.channel_posts
        )

    def counts(self) -> Counter[str]:
        return Counter(str(item.status) for item in self.items)


class DailyJob:
    """Runs the day's reminders; ``send`` comes from the bot."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        send: Send,
        *,
        concurrency: int = CONCURRENT_SENDS,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._ledger = DeliveryLedger(sessionmaker)
        self._conversations = ConversationStore(sessionmaker)
        outbox = Outbox(self._ledger, self._conversations, send, asyncio.Semaphore(concurrency))
        self._digests = DigestDelivery(outbox)
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
        async with self._sessionmaker() as session:
            labels = await load_case_labels(
                session,
                [r.case_id for rs in (unassigned, *per_staff.values()) for r in rs if r.case_id],
            )
        report.items += [result(r, labels, None, Status.UNASSIGNED) for r in unassigned]

        delivered = await self._ledger.delivered(today, list(per_staff))
        references = await self._conversations.reachable_personal(
            [plan.staff[staff_id].aad_object_id for staff_id in per_staff]
        )
        tasks = [
            self._digests.deliver(
                plan.staff[staff_id],
                reminders,
                labels,
                delivered,
                references.get(plan.staff[staff_id].aad_object_id),
                today,
                dry_run,
            )
            for staff_id, reminders in sorted(per_staff.items())
        ]
        for results in await asyncio.gather(*tasks):
            report.items += results
        report.channel_posts = await self._channels.post(plan, today, dry_run)
        counts = report.counts()
        log.info(
            "Reminders for %s: %s; channel posts %d",
            today.isoformat(),
            ", ".join(f"{status} {n}" for status, n in sorted(counts.items())) or "nothing due",
            sum(1 for _key, status in report.channel_posts if status == Status.SENT),
        )
        return report
