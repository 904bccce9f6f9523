"""Proactive messages to a stored conversation reference, with retries the Teams way.

Throttling and passing failures (429, 412, 502, 504) are retried with exponential
backoff and full jitter, waiting at least what Retry-After asks; 403 means the bot
was removed or blocked there, so the reference is reported stale. The Bot
Framework connector raises msrest's ``HttpOperationError`` whose ``response``
(an aiohttp response) carries the status and headers. Logs name the status only.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import SimpleNamespace
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ConversationReference

from bot.settings import Settings
from scheduler.daily import SendOutcome

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({412, 429, 502, 504})
STALE_STATUSES = frozenset({403})
MAX_ATTEMPTS = 5
BASE_DELAY = 1.0
MAX_DELAY = 60.0

Sleep = Callable[[float], Awaitable[None]]


def create_adapter(settings: Settings) -> CloudAdapter:
    """An adapter with the bot's credentials; with no app id it sends anonymously (local)."""
    return CloudAdapter(
        ConfigurationBotFrameworkAuthentication(SimpleNamespace(**settings.bot_framework_config()))
    )


def http_status(error: BaseException) -> int | None:
    response = getattr(error, "response", None)
    for name in ("status", "status_code"):
        value = getattr(response, name, None)
        if isinstance(value, int):
            return value
    return None


def retry_after(error: BaseException, now: datetime | None = None) -> float | None:
    """Seconds the server asked us to wait (delta-seconds or an HTTP date), if it did."""
    headers = getattr(getattr(error, "response", None), "headers", None) or {}
    raw = headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class ProactiveSender:
    def __init__(
        self,
        adapter: CloudAdapter,
        app_id: str,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._adapter = adapter
        self._app_id = app_id or None
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sleep = sleep
        self._rng = rng or random.Random()

    async def send(self, reference: dict[str, Any], activity: Activity) -> SendOutcome:
        conversation = ConversationReference().deserialize(reference)
        for attempt in range(1, self._max_attempts + 1):
            error = await self._attempt(conversation, activity)
            if error is None:
                return SendOutcome.SENT
            status = http_status(error)
            if status in STALE_STATUSES:
                log.warning("Proactive send refused with %s: conversation marked stale", status)
                return SendOutcome.STALE
            if status not in RETRY_STATUSES and not isinstance(error, OSError | TimeoutError):
                log.warning("Proactive send failed: %s %s", type(error).__name__, status)
                return SendOutcome.FAILED
            if attempt == self._max_attempts:
                break
            delay = self._delay(attempt, retry_after(error))
            log.info("Proactive send got %s, retry %d in %.1f s", status, attempt, delay)
            await self._sleep(delay)
        log.warning("Proactive send gave up after %d attempts", self._max_attempts)
        return SendOutcome.FAILED

    def _delay(self, attempt: int, asked: float | None) -> float:
        """Full jitter on an exponential ceiling, but never shorter than Retry-After."""
        ceiling = min(self._max_delay, self._base_delay * 2 ** (attempt - 1))
        jittered = self._rng.uniform(0, ceiling)
        return min(self._max_delay, max(jittered, asked or 0.0))

    async def _attempt(
        self, conversation: ConversationReference, activity: Activity
    ) -> BaseException | None:
        failure: list[BaseException] = []

        async def callback(turn_context: TurnContext) -> None:
            # Caught here: a proactive turn must not reach the adapter's on_turn_error,
            # which would try to tell the user something went wrong.
            try:
                await turn_context.send_activity(activity)
            except Exception as error:
                failure.append(error)

        try:
            await self._adapter.continue_conversation(conversation, callback, self._app_id)
        except Exception as error:  # e.g. the token for the connector could not be fetched
            return error
        return failure[0] if failure else None
