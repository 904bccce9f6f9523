"""Proactive messages to a stored conversation reference, with retries the Teams way.

Throttling and passing failures (429, 412, 502, 504) and connections refused, reset or timed
out are retried with exponential backoff and full jitter, waiting at least what Retry-After
asks; 403 means the bot was removed or blocked there, so the reference is reported stale.
Logs name the status or the error type only.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from bot.connector import Connector, DeliveryError
from bot.metrics import Metrics
from scheduler.backoff import Backoff
from scheduler.messages import SendOutcome

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({412, 429, 502, 504})
STALE_STATUSES = frozenset({403})
MAX_ATTEMPTS = 5
BASE_DELAY = 1.0
MAX_DELAY = 60.0

Sleep = Callable[[float], Awaitable[None]]


def retry_after(raw: str | None, now: datetime | None = None) -> float | None:
    """Seconds the server asked us to wait (delta-seconds or an HTTP date), if it did."""
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
        connector: Connector,
        *,
        max_attempts: int = MAX_ATTEMPTS,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._connector = connector
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._metrics = metrics

    async def send(
        self, reference: dict[str, Any], activity: dict[str, Any], *, first_attempt: int = 1
    ) -> SendOutcome:
        """Deliver ``activity``; ``first_attempt`` > 1 continues a retry that a turn began."""
        outcome = await self._attempts(reference, activity, first_attempt)
        if self._metrics is not None:
            self._metrics.proactive_send(outcome)
        return outcome

    async def _attempts(
        self, reference: dict[str, Any], activity: dict[str, Any], first_attempt: int
    ) -> SendOutcome:
        for attempt in range(first_attempt, self._max_attempts + 1):
            if attempt > 1 and self._metrics is not None:
                self._metrics.proactive_retry()
            try:
                await self._connector.send(reference, activity)
            except DeliveryError as error:
                if error.status in STALE_STATUSES:
                    log.warning("Proactive send refused with %s: conversation stale", error.status)
                    return SendOutcome.STALE
                if not retryable(error):
                    log.warning("Proactive send failed: %s", error)
                    return SendOutcome.FAILED
                if attempt == self._max_attempts:
                    break
                delay = self.delay(attempt, retry_after(error.retry_after))
                log.info("Proactive send got %s, retry %d in %.1f s", error, attempt, delay)
                await self._sleep(delay)
            else:
                return SendOutcome.SENT
        log.warning("Proactive send gave up after %d attempts", self._max_attempts)
        return SendOutcome.FAILED

    def delay(self, attempt: int, asked: float | None) -> float:
        """Full jitter on an exponential ceiling, but never shorter than Retry-After."""
        return Backoff(self._base_delay, self._max_delay).delay(attempt, self._rng, asked or 0.0)


def retryable(error: DeliveryError) -> bool:
    """Throttling, a passing gateway failure, or no answer at all (status None)."""
    return error.status is None or error.status in RETRY_STATUSES
