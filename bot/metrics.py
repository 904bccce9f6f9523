"""What an operator watches, in Prometheus' text format at GET /metrics.

One registry per application (never prometheus_client's global one), so tests and several
apps in one process keep their own counts. Every label value comes from a fixed set named
here — kinds, outcomes, statuses, sources — never from a request: no names, personnummer,
conversation, tenant or user ids can reach a label.
"""

from __future__ import annotations

import hmac
import math
import time
from enum import StrEnum

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
)
from prometheus_client.exposition import choose_encoder

from bot.activity import Activity
from scheduler.daily import DayReport
from storage.db import UNAVAILABLE

# No `_created` series beside every counter and histogram: they would double what Prometheus
# stores, and a process's start time is in process_start_time_seconds.
disable_created_metrics()

# Teams gives up on a bot after 15 s; the buckets resolve the fast turns and that limit.
TURN_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 30.0)


class Kind(StrEnum):
    MESSAGE = "message"
    CARD = "card"  # a message carrying a card's submitted value
    INVOKE = "invoke"
    OTHER = "other"  # conversation updates, and requests that are no activity at all


class Ending(StrEnum):
    """How a request to /api/messages ended (the label ``outcome``)."""

    ANSWERED = "answered"
    DUPLICATE = "duplicate"  # a double click or a redelivery: the receipt was there
    REFUSED = "refused"  # a tenant that is not allowed
    FAILED = "failed"  # a fault of ours; the user was asked to try again
    DATABASE_UNAVAILABLE = "database_unavailable"
    INVALID = "invalid"  # not JSON, not an activity, too large
    UNAUTHORIZED = "unauthorized"
    UNVERIFIED = "unverified"  # no signing keys fetched yet to check the token with
    UNSUPPORTED = "unsupported"


class DatabaseSource(StrEnum):
    TURN = "turn"
    HEALTH = "health"
    SWEEP = "sweep"  # forgetting old receipts and files offered
    REMINDERS = "reminders"


def kind_of(activity: Activity) -> Kind:
    if activity.type == "message":
        return Kind.CARD if isinstance(activity.value, dict) else Kind.MESSAGE
    if activity.type == "invoke":
        return Kind.INVOKE
    return Kind.OTHER


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        turn_seconds = Histogram(
            "kaa_turn_seconds",
            "Time from receiving an activity to answering the channel, by kind.",
            ["kind"],
            buckets=TURN_BUCKETS,
            registry=self.registry,
        )
        turns = Counter(
            "kaa_turns",
            "Requests to /api/messages by how they ended.",
            ["outcome"],
            registry=self.registry,
        )
        self._http = Counter(
            "kaa_http_responses",
            "HTTP statuses answered on /api/messages.",
            ["status"],
            registry=self.registry,
        )
        self._deliveries = Counter(
            "kaa_reminder_deliveries",
            "Reminders of the daily job by what happened to them (the job's report statuses).",
            ["status"],
            registry=self.registry,
        )
        self._channel_posts = Counter(
            "kaa_channel_posts",
            "The daily job's team channel posts by status.",
            ["status"],
            registry=self.registry,
        )
        self._proactive = Counter(
            "kaa_proactive_sends",
            "Proactive sends (reminders, retried replies) by outcome.",
            ["outcome"],
            registry=self.registry,
        )
        self._retries = Counter(
            "kaa_proactive_retries",
            "Sends tried again after throttling, a passing failure or no connection.",
            registry=self.registry,
        )
        self._database_errors = Counter(
            "kaa_database_errors",
            "Times the case store did not answer, by where.",
            ["source"],
            registry=self.registry,
        )
        self._job_seconds = Gauge(
            "kaa_daily_job_last_duration_seconds",
            "How long the last daily job run took.",
            registry=self.registry,
        )
        self._job_complete = Gauge(
            "kaa_daily_job_last_complete",
            "1 when the last daily job run left nothing for a later run, else 0.",
            registry=self.registry,
        )
        self._job_finished = Gauge(
            "kaa_daily_job_last_run_timestamp_seconds",
            "When the last daily job run ended.",
            registry=self.registry,
        )
        # Unknown (NaN) until this process has run the job once: not "incomplete".
        for gauge in (self._job_seconds, self._job_complete, self._job_finished):
            gauge.set(math.nan)
        # Children bound once: a turn's bookkeeping is then a few dictionary look-ups.
        self._turn_seconds = {kind: turn_seconds.labels(kind) for kind in Kind}
        self._turns = {ending: turns.labels(ending) for ending in Ending}
        self._statuses: dict[int, Counter] = {}
        for source in DatabaseSource:
            self._database_errors.labels(source)

    def turn(self, kind: Kind, ending: Ending, status: int, seconds: float) -> None:
        self._turn_seconds[kind].observe(seconds)
        self._turns[ending].inc()
        counter = self._statuses.get(status)
        if counter is None:
            counter = self._statuses[status] = self._http.labels(str(status))
        counter.inc()

    def database_error(self, source: DatabaseSource) -> None:
        self._database_errors.labels(source).inc()

    def proactive_send(self, outcome: str) -> None:
        self._proactive.labels(outcome).inc()

    def proactive_retry(self) -> None:
        self._retries.inc()

    def daily_job(self, report: DayReport, seconds: float) -> None:
        for status, count in report.counts().items():
            self._deliveries.labels(status).inc(count)
        for _key, status in report.channel_posts:
            self._channel_posts.labels(str(status)).inc()
        self._job_seconds.set(seconds)
        self._job_complete.set(1 if report.complete else 0)
        self._job_finished.set(time.time())

    def daily_job_failed(self, error: Exception, seconds: float) -> None:
        if isinstance(error, UNAVAILABLE):
            self.database_error(DatabaseSource.REMINDERS)
        self._job_seconds.set(seconds)
        self._job_complete.set(0)
        self._job_finished.set(time.time())

    def exposition(self, accept: str) -> tuple[bytes, str]:
        """The metrics in the format the scraper asked for, and its content type."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type


def metrics_endpoint(metrics: Metrics, token: str) -> Handler:
    """GET /metrics; with a token only for ``Authorization: Bearer <token>``."""
    expected = f"Bearer {token}".encode()

    async def endpoint(request: web.Request) -> web.Response:
        given = request.headers.get("Authorization", "").encode()
        if token and not hmac.compare_digest(given, expected):
            return web.json_response(
                {"error": "Ogiltig eller saknad behörighet."},
                status=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        body, content_type = metrics.exposition(request.headers.get("Accept", ""))
        return web.Response(body=body, headers={"Content-Type": content_type})

    return endpoint
