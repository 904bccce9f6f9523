"""Reminders wired into the bot: digests rendered as cards, sent proactively, on a schedule.

APScheduler runs a tick every minute inside ``kaa-bot serve``/``demo``. A tick runs
the daily job for each municipality whose digest time (default 07:30 in the bot's
time zone, so also on the days the clocks change) has come today and that this
process has not finished today. The first tick runs at start, which catches up a
missed run — for the current day only. A municipality whose run left something to try
again (a digest that failed) runs again when its next attempt is due, not every minute.
The database, not this process's memory, guarantees one digest a day per person; the
memory only saves needless runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.metrics import Metrics
from bot.proactive import ProactiveSender
from bot.replies import to_activity
from bot.settings import Settings
from dialogs.cards import adaptive_card
from dialogs.digest import digest_reply
from dialogs.engine import Reply
from scheduler.calendar import digest_moment, is_digest_day
from scheduler.daily import DailyJob, DayReport
from scheduler.loading import MunicipalityRow, load_municipalities
from scheduler.messages import Message, PersonalDigest, Send, SendOutcome, TeamNotice
from storage.models import utcnow
from storage.routine import routine_settings

log = logging.getLogger(__name__)

OPEN_CHAT = "Fortsätt i 1:1-chatten"


def render(message: Message, reference: dict[str, Any] | None = None) -> Reply:
    """The message as a reply; a team notice offering the 1:1 chat gets a button opening the
    bot's chat (Teams' deep link to a chat with the bot of the channel's ``reference``)."""
    if isinstance(message, PersonalDigest):
        return digest_reply(message)
    bot_id = ((reference or {}).get("bot") or {}).get("id")
    if isinstance(message, TeamNotice) and message.to_chat and bot_id:
        link = "https://teams.microsoft.com/l/chat/0/0?" + urlencode({"users": bot_id})
        card = adaptive_card(
            [
                {"type": "TextBlock", "text": message.text, "wrap": True},
                {
                    "type": "ActionSet",
                    "actions": [{"type": "Action.OpenUrl", "title": OPEN_CHAT, "url": link}],
                },
            ]
        )
        return Reply(text=message.text, card=card)
    return Reply(text=message.text)


def make_send(sender: ProactiveSender) -> Send:
    async def send(reference: dict[str, Any], message: Message) -> SendOutcome:
        return await sender.send(reference, to_activity(render(message, reference)))

    return send


def municipalities_due(
    now: datetime,
    municipalities: Iterable[MunicipalityRow],
    finished: dict[int, date],
    timezone: str,
    waiting: dict[int, datetime] | None = None,
) -> list[int]:
    """Municipalities whose digest time has come today, that are not finished today, and
    whose next retry (``waiting``, when a run left something to try again) is due."""
    today = now.astimezone(ZoneInfo(timezone)).date()
    if not is_digest_day(today):
        return []
    waiting = waiting or {}
    return [
        m.id
        for m in municipalities
        if finished.get(m.id) != today
        and digest_moment(today, routine_settings(m).digest_time, timezone) <= now
        and waiting.get(m.id, now) <= now
    ]


class ReminderSchedule:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        send: Send,
        timezone: str,
        clock: Callable[[], datetime] = utcnow,
        *,
        metrics: Metrics | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._metrics = metrics
        self._job = DailyJob(sessionmaker, send, clock=clock)
        self._clock = clock
        self._timezone = timezone
        self._finished: dict[int, date] = {}
        self._waiting: dict[int, datetime] = {}
        self._scheduler: AsyncIOScheduler | None = None

    def start(self) -> None:
        zone = ZoneInfo(self._timezone)
        self._scheduler = AsyncIOScheduler(timezone=zone)
        self._scheduler.add_job(
            self._tick_safely,
            "interval",
            minutes=1,
            next_run_time=datetime.now(zone),
            max_instances=1,
            coalesce=True,
            misfire_grace_time=50,
        )
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    async def tick(self) -> DayReport | None:
        now = self._clock()
        async with self._sessionmaker() as session:
            municipalities = await load_municipalities(session)
        due = municipalities_due(now, municipalities, self._finished, self._timezone, self._waiting)
        if not due:
            return None
        today = now.astimezone(ZoneInfo(self._timezone)).date()
        started = time.perf_counter()
        report = await self._job.run(today, municipality_ids=due)
        if self._metrics is not None:
            self._metrics.daily_job(report, time.perf_counter() - started)
        for municipality_id in due:
            if municipality_id in report.pending:
                self._waiting[municipality_id] = report.pending[municipality_id]
            else:
                self._waiting.pop(municipality_id, None)
                self._finished[municipality_id] = today
        return report

    async def _tick_safely(self) -> None:
        started = time.perf_counter()
        try:
            await self.tick()
        except Exception as error:
            # The type only: a database error's text can quote personal data.
            log.error("Reminder run failed: %s", type(error).__name__)
            if self._metrics is not None:
                self._metrics.daily_job_failed(error, time.perf_counter() - started)


def start_reminder_schedule(
    sessionmaker: async_sessionmaker[AsyncSession],
    sender: ProactiveSender,
    settings: Settings,
    metrics: Metrics,
) -> ReminderSchedule:
    schedule = ReminderSchedule(sessionmaker, make_send(sender), settings.timezone, metrics=metrics)
    schedule.start()
    return schedule
