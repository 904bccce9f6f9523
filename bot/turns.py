"""One turn, exactly once, in one unit of work; the replies after the commit.

A turn of a conversation waits for the one before it (per conversation in this process;
across instances on PostgreSQL the dialog state's row lock does the same). In one
transaction it then checks the turn's receipt — what the user meant: a card's submission
id, else the activity id — remembers the conversation when it changed, finds the staff
member, runs the dialog with its case changes and audit entries, writes the dialog state
and the receipt; and commits. Only then are the replies sent, so a reply that cannot be
delivered never leaves the dialog behind the data: the turn still answers Teams 200, and
a reply the connector asked to retry (429, 412, 502, 504, no connection) is sent again
later as a proactive message. A double click or a redelivered activity finds the receipt
and is told that it is already saved; two instances racing with the same one collide on
the receipt's primary key, and the loser's transaction is rolled back whole.

On SQLite one turn at a time holds the database (its single writer) in this process:
waiting turns queue here instead of in SQLite's busy handler, which sleeps in steps of
up to 100 ms.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.activity import Activity
from bot.connector import Connector, DeliveryError
from bot.files import FileDelivery
from bot.handler import After, KaaBot
from bot.metrics import Ending
from bot.proactive import ProactiveSender, retryable
from bot.replies import to_activity
from bot.tenants import TenantGate
from dialogs import texts
from dialogs.engine import Reply
from storage import receipts
from storage.cases import CaseService
from storage.conversations import remember_conversation
from storage.db import UNAVAILABLE
from storage.sessions import TurnUnit

log = logging.getLogger(__name__)

# How long background retries of undelivered replies may still run when the bot stops.
SHUTDOWN_GRACE_SECONDS = 10.0
# Waits before retrying a turn while another process holds SQLite's write lock (about 30 s
# in all, as long as SQLite's own busy timeout elsewhere); None: give up.
_LOCKED_PAUSES = (0.01, 0.02, 0.05, 0.1, 0.2, *([0.5] * 59), None)


@dataclass
class Outcome:
    """What a committed turn sends, and the work that follows it (bot.handler.TurnResult)."""

    activities: list[dict[str, Any]]
    after: After | None = None
    ending: Ending = Ending.ANSWERED


def _saying(text: str, ending: Ending) -> Outcome:
    return Outcome([to_activity(Reply(text=text))], ending=ending)


class DatabaseUnavailable(Exception):
    """The case store did not answer: the channel should deliver the activity again later."""


class ConversationLocks:
    """One asyncio lock per conversation with a waiting or running turn."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._holders: Counter[str] = Counter()

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        self._holders[conversation_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._holders[conversation_id] -= 1
            if not self._holders[conversation_id]:
                del self._holders[conversation_id], self._locks[conversation_id]


def intent_of(activity: Activity) -> str | None:
    """What identifies the user's intent: the card's submission id, else the activity id."""
    value = activity.value
    submission = value.get("submission") if isinstance(value, dict) else None
    if isinstance(submission, str | int) and not isinstance(submission, bool):
        return f"card:{submission}"
    return f"activity:{activity.id}" if activity.id else None


class TurnRunner:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        bot: KaaBot,
        connector: Connector,
        retries: ProactiveSender,
        tenants: TenantGate,
        files: FileDelivery,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._bot = bot
        self._files = files
        self._connector = connector
        self._retries = retries
        self._tenants = tenants
        self._locks = ConversationLocks()
        sqlite = sessionmaker.kw["bind"].dialect.name == "sqlite"
        self._writer: AbstractAsyncContextManager[Any] = asyncio.Lock() if sqlite else nullcontext()
        self._background: set[asyncio.Task[None]] = set()

    async def run(self, activity: Activity) -> Ending:
        """Handle one activity; raises DatabaseUnavailable when the store does not answer."""
        if not self._tenants.admits(activity):
            return Ending.REFUSED
        async with self._locks.hold(activity.conversation.id):
            try:
                outcome = await self._commit(activity)
            except DatabaseUnavailable:
                raise
            except Exception as error:
                # A fault of ours: nothing of the turn was kept, so the user can try again.
                log.error("Turn failed: %s", type(error).__name__)
                outcome = _saying(texts.SOMETHING_WENT_WRONG, Ending.FAILED)
            await self._deliver(activity, outcome.activities)
            if outcome.after is not None:
                await outcome.after(lambda later: self._deliver(activity, [later]))
        return outcome.ending

    async def _commit(self, activity: Activity) -> Outcome:
        intent = intent_of(activity)
        key = receipts.receipt_key(activity.conversation.id, intent) if intent else None
        try:
            async with self._writer:
                for pause in _LOCKED_PAUSES:
                    try:
                        return await self._unit(activity, key)
                    except OperationalError as error:
                        # SQLite's write lock held by another process (an import, the
                        # command line): the whole unit was rolled back, so wait and retry.
                        if "locked" not in str(error.orig) or pause is None:
                            raise
                    await asyncio.sleep(pause)
                raise AssertionError("unreachable")
        except IntegrityError:
            if key is not None and await self._handled(key) is not None:
                # Another instance committed the same intent first; ours was rolled back.
                return _saying(texts.ALREADY_SAVED, Ending.DUPLICATE)
            raise
        except UNAVAILABLE as error:
            log.warning("The case store did not answer: %s", type(error).__name__)
            raise DatabaseUnavailable from None

    async def _unit(self, activity: Activity, key: str | None) -> Outcome:
        async with self._sessionmaker() as session:
            async with session.begin():
                result = await self._in_transaction(session, activity, key)
            return result

    async def _in_transaction(
        self, session: AsyncSession, activity: Activity, key: str | None
    ) -> Outcome:
        if key is not None:
            wrote = await receipts.handled(session, key)
            if wrote is not None:
                again = texts.ALREADY_SAVED if wrote else texts.ALREADY_ANSWERED
                return _saying(again, Ending.DUPLICATE)
        personal = activity.conversation_type == "personal"
        await remember_conversation(
            session,
            conversation_id=activity.conversation.id,
            conversation_type=activity.conversation_type,
            reference=activity.reference(),
            aad_object_id=activity.from_.aad_object_id if personal else None,
            tenant_id=activity.tenant_id,
            team_id=activity.team_id,
            sender_aad_object_id=activity.from_.aad_object_id,
        )
        unit = TurnUnit(session)
        cases = CaseService(unit)
        result = await self._bot.handle(activity, unit, cases)
        if key is not None:
            await receipts.keep(session, key, wrote=cases.changed)
        # A file offered with Teams' consent card is kept in this same transaction.
        return Outcome(self._files.activities(session, activity, result.replies), result.after)

    async def _handled(self, key: str) -> bool | None:
        async with self._sessionmaker() as session:
            return await receipts.handled(session, key)

    async def _deliver(self, activity: Activity, replies: list[dict[str, Any]]) -> None:
        """Send the replies in order; what the connector asks to retry is sent later."""
        reference = activity.reference()
        for index, reply in enumerate(replies):
            try:
                await self._connector.send(reference, reply, reply_to=activity.id)
            except DeliveryError as error:
                log.warning("A reply was not delivered: %s", error)
                if retryable(error):
                    self._later(self._retry(reference, replies[index:]))
                return

    async def _retry(self, reference: dict[str, Any], activities: list[dict[str, Any]]) -> None:
        for activity in activities:
            await self._retries.send(reference, activity, first_attempt=2)

    def _later(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close(self) -> None:
        """Give replies still being retried a little time before the bot stops."""
        if not self._background:
            return
        _done, pending = await asyncio.wait(self._background, timeout=SHUTDOWN_GRACE_SECONDS)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

