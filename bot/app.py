"""The aiohttp application: Bot Framework endpoint and health check, resources in cleanup_ctx."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web
from botbuilder.core import ConversationState, TurnContext, UserState
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.attachments import FileImporter
from bot.handler import KaaBot
from bot.proactive import ProactiveSender, create_adapter
from bot.reminders import start_reminder_schedule
from bot.replies import to_activity
from bot.settings import Settings
from bot.staff import StaffDirectory
from bot.state_storage import SqlStorage
from bot.tenants import TenantGate
from dialogs import texts
from dialogs.engine import Reply
from storage.bot_state import BotStateStore
from storage.cases import CaseService
from storage.conversations import ConversationStore
from storage.db import create_engine, create_sessionmaker, ping

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024

ENGINE = web.AppKey("engine", AsyncEngine)
ADAPTER = web.AppKey("adapter", CloudAdapter)
BOT = web.AppKey("bot", KaaBot)


def _json_error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def messages(request: web.Request) -> web.Response:
    if request.content_type != "application/json":
        return _json_error(415, "Innehållet måste vara JSON (application/json).")
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return _json_error(400, "Kroppen är inte giltig JSON.")
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        return _json_error(400, "En aktivitet måste vara ett JSON-objekt med fältet type.")
    try:
        activity = Activity().deserialize(body)
    except Exception:
        return _json_error(400, "Aktiviteten gick inte att läsa.")
    if activity.conversation is None or not activity.service_url:
        return _json_error(400, "Aktiviteten saknar conversation eller serviceUrl.")
    adapter = request.app[ADAPTER]
    auth_header = request.headers.get("Authorization", "")
    try:
        authenticated = await adapter.bot_framework_authentication.authenticate_request(
            activity, auth_header
        )
    except PermissionError:
        return _json_error(401, "Ogiltig eller saknad behörighet.")
    except OSError as error:
        # botbuilder could not fetch the signing keys: let the channel retry later.
        log.warning("Could not verify the token: %s", type(error).__name__)
        return _json_error(503, "Behörigheten kan inte kontrolleras just nu.")
    except Exception as error:
        # botbuilder raises jwt and plain errors for malformed, forged or expired tokens.
        log.info("Refused a token: %s", type(error).__name__)
        return _json_error(401, "Ogiltig eller saknad behörighet.")
    response = await adapter.process_activity(authenticated, activity, request.app[BOT].on_turn)
    if response is not None:
        return web.json_response(response.body, status=response.status)
    return web.Response(status=200)


async def healthz(request: web.Request) -> web.Response:
    if await ping(request.app[ENGINE]):
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "databasen svarar inte"}, status=503)


async def _on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    # Only the error type: the message may quote what a user wrote.
    log.error("Turn failed: %s", type(error).__name__)
    await turn_context.send_activity(to_activity(Reply(text=texts.SOMETHING_WENT_WRONG)))


def create_app(settings: Settings, *, demo_municipality: str | None = None) -> web.Application:
    """The bot application; the database schema must already be migrated."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)

    async def resources(app: web.Application) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        sessionmaker = create_sessionmaker(engine)
        cases = CaseService(sessionmaker)
        storage = SqlStorage(BotStateStore(sessionmaker))
        adapter = create_adapter(settings)
        adapter.on_turn_error = _on_turn_error
        app[ENGINE] = engine
        app[ADAPTER] = adapter
        files = FileImporter(cases, ProactiveSender(adapter, settings.app_id))
        app[BOT] = KaaBot(
            conversation_state=ConversationState(storage),
            user_state=UserState(storage),
            cases=cases,
            staff=StaffDirectory(cases, demo_municipality),
            conversations=ConversationStore(sessionmaker),
            timezone=settings.timezone,
            files=files,
            tenants=TenantGate(settings.allowed_tenant_ids),
        )
        reminders = (
            start_reminder_schedule(sessionmaker, adapter, settings) if settings.reminders else None
        )
        yield
        if reminders is not None:
            reminders.shutdown()
        await files.close()
        await engine.dispose()

    app.cleanup_ctx.append(resources)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app
