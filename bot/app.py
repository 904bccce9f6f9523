"""The aiohttp application: Bot Framework endpoint and health check.

Each resource has its own cleanup context, so one that fails to close never keeps another
(the database engine above all) from closing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.activity import Activity, ActivityError, parse_activity
from bot.attachments import FileImporter
from bot.connector import BotTokens, Connector
from bot.files import CONSENT_INVOKE, FileDelivery
from bot.handler import KaaBot
from bot.log_format import turn_logging
from bot.metrics import DatabaseSource, Ending, Kind, Metrics, kind_of, metrics_endpoint
from bot.proactive import ProactiveSender
from bot.reminders import start_reminder_schedule
from bot.settings import Settings
from bot.tenants import TenantGate
from bot.token_check import (
    CHANNEL_OPENID_METADATA_URL,
    KeysUnavailable,
    TokenVerifier,
    Unauthorized,
)
from bot.turns import DatabaseUnavailable, TurnRunner
from storage import pending_files, receipts
from storage.cases import CaseService
from storage.db import create_engine, create_sessionmaker, ping

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
# Receipts are kept this long (redeliveries come within minutes, but a card stays in the chat
# and may be pressed again months later; a receipt is a hash and a time), files offered
# with Teams' consent card this long (they may hold personal data) …
RECEIPT_DAYS = 400
PENDING_FILE_HOURS = 24
# … and forgotten by a sweep this often.
SWEEP_SECONDS = 3600

ENGINE = web.AppKey("engine", AsyncEngine)
CONNECTOR = web.AppKey("connector", Connector)
RUNNER = web.AppKey("runner", TurnRunner)
TOKENS = web.AppKey("tokens", TokenVerifier)
METRICS = web.AppKey("metrics", Metrics)


def _json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@dataclass
class _Observed:
    """What the metrics learn of one request as it is answered."""

    kind: Kind = Kind.OTHER
    ending: Ending = Ending.INVALID


async def messages(request: web.Request) -> web.Response:
    """One activity; its kind, outcome, status and time go to the metrics."""
    started = time.perf_counter()
    observed = _Observed()
    metrics = request.app[METRICS]
    try:
        response = await _answer(request, observed)
    except web.HTTPException as error:  # a body over the size limit
        metrics.turn(observed.kind, Ending.INVALID, error.status, time.perf_counter() - started)
        raise
    except Exception:
        metrics.turn(observed.kind, Ending.FAILED, 500, time.perf_counter() - started)
        raise
    metrics.turn(observed.kind, observed.ending, response.status, time.perf_counter() - started)
    return response


async def _answer(request: web.Request, observed: _Observed) -> web.Response:
    if request.content_type != "application/json":
        return _json_error(415, "Innehållet måste vara JSON (application/json).")
    try:
        activity = parse_activity(await request.read())
    except ActivityError as error:
        return _json_error(400, str(error))
    observed.kind = kind_of(activity)
    with turn_logging(activity.conversation.id):
        return await _turn(request, activity, observed)


async def _turn(request: web.Request, activity: Activity, observed: _Observed) -> web.Response:
    verifier = request.app.get(TOKENS)
    if verifier is not None:
        try:
            await verifier.verify(
                request.headers.get("Authorization", ""),
                channel_id=activity.channel_id,
                service_url=activity.service_url,
            )
        except Unauthorized as refusal:
            log.info("Refused a token: %s", refusal)
            observed.ending = Ending.UNAUTHORIZED
            return _json_error(401, "Ogiltig eller saknad behörighet.")
        except KeysUnavailable:
            # No signing key fetched yet: let the channel retry later.
            log.warning("Could not verify the token: no signing keys yet")
            observed.ending = Ending.UNVERIFIED
            return _json_error(503, "Behörigheten kan inte kontrolleras just nu.")
    if activity.type == "invoke" and activity.name != CONSENT_INVOKE:
        # No card action or other invoke is offered by this bot, only Teams' file consent.
        observed.ending = Ending.UNSUPPORTED
        return _json_error(400, "Den här åtgärden stöds inte.")
    try:
        observed.ending = await request.app[RUNNER].run(activity)
    except DatabaseUnavailable:
        observed.ending = Ending.DATABASE_UNAVAILABLE
        request.app[METRICS].database_error(DatabaseSource.TURN)
        return _json_error(503, "Registret svarar inte just nu. Försök igen om en stund.")
    return web.Response(status=200)


async def healthz(request: web.Request) -> web.Response:
    if await ping(request.app[ENGINE]):
        return web.json_response({"status": "ok"})
    request.app[METRICS].database_error(DatabaseSource.HEALTH)
    return web.json_response({"status": "databasen svarar inte"}, status=503)


def create_app(
    settings: Settings,
    *,
    demo_municipality: str | None = None,
    openid_metadata_url: str = CHANNEL_OPENID_METADATA_URL,
) -> web.Application:
    """The bot application; the database schema must already be migrated.

    With an app id every activity needs a channel token signed with a key published through
    `openid_metadata_url`; without one (local runs, the Playground) none is asked for.
    """
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[METRICS] = Metrics()

    async def database(app: web.Application) -> AsyncIterator[None]:
        app[ENGINE] = create_engine(settings.database_url)
        yield
        await app[ENGINE].dispose()

    async def tokens(app: web.Application) -> AsyncIterator[None]:
        if not settings.app_id:
            yield
            return
        app[TOKENS] = TokenVerifier(settings.app_id, metadata_url=openid_metadata_url)
        yield
        await app[TOKENS].close()

    async def connector(app: web.Application) -> AsyncIterator[None]:
        app[CONNECTOR] = Connector(BotTokens(settings))
        yield
        await app[CONNECTOR].close()

    async def turns(app: web.Application) -> AsyncIterator[None]:
        # The turn runner and what only it uses; each is closed even when another fails.
        async with contextlib.AsyncExitStack() as closing:
            engine = app[ENGINE]
            turn_engine = engine
            if settings.database_url.startswith("sqlite"):
                # On SQLite a turn's statements run on the event loop's thread
                # (storage.sqlite_direct).
                turn_engine = create_engine(settings.database_url, on_loop=True)
                closing.push_async_callback(turn_engine.dispose)
            sender = ProactiveSender(app[CONNECTOR], metrics=app[METRICS])
            files = FileImporter(CaseService(create_sessionmaker(engine, writes=True)), sender)
            closing.push_async_callback(files.close)
            delivery = FileDelivery(settings.files_by_consent)
            closing.push_async_callback(delivery.close)
            zone = ZoneInfo(settings.timezone)
            bot = KaaBot(
                files=files,
                delivery=delivery,
                today=lambda: datetime.now(zone).date(),
                demo_municipality=demo_municipality,
            )
            app[RUNNER] = TurnRunner(
                create_sessionmaker(turn_engine, writes=True),
                bot,
                app[CONNECTOR],
                sender,
                TenantGate(settings.allowed_tenant_ids),
                delivery,
            )
            closing.push_async_callback(app[RUNNER].close)
            yield

    async def reminders(app: web.Application) -> AsyncIterator[None]:
        if not settings.reminders:
            yield
            return
        sender = ProactiveSender(app[CONNECTOR], metrics=app[METRICS])
        schedule = start_reminder_schedule(
            create_sessionmaker(app[ENGINE]), sender, settings, app[METRICS]
        )
        yield
        schedule.shutdown()

    async def sweep(app: web.Application) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep(app[ENGINE], app[METRICS]))
        yield
        sweeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sweeper

    app.cleanup_ctx.extend([database, tokens, connector, turns, reminders, sweep])
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    if settings.metrics_token or settings.on_loopback:
        app.router.add_get("/metrics", metrics_endpoint(app[METRICS], settings.metrics_token))
    else:
        log.warning("/metrics is off: KAA_HOST is not loopback and KAA_METRICS_TOKEN is not set")
    return app


async def _sweep(engine: AsyncEngine, metrics: Metrics) -> None:
    """Forget old turn receipts and files offered but never answered."""
    sessions = create_sessionmaker(engine, writes=True)
    while True:
        now = datetime.now(UTC)
        try:
            await receipts.prune(sessions, now - timedelta(days=RECEIPT_DAYS))
            await pending_files.prune(sessions, now - timedelta(hours=PENDING_FILE_HOURS))
        except Exception as error:  # the sweep must outlive a database that is away a while
            log.warning("Sweep failed: %s", type(error).__name__)
            metrics.database_error(DatabaseSource.SWEEP)
        await asyncio.sleep(SWEEP_SECONDS)
