"""The aiohttp application: Bot Framework endpoint and health check, resources in cleanup_ctx."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web
from botbuilder.core import ConversationState, TurnContext, UserState
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, CallerIdConstants
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    ClaimsIdentity,
)
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
from bot.token_check import (
    CHANNEL_OPENID_METADATA_URL,
    KeysUnavailable,
    TokenVerifier,
    Unauthorized,
)
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
TOKENS = web.AppKey("tokens", TokenVerifier)


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
    claims: dict[str, Any] = {}
    verifier = request.app.get(TOKENS)
    if verifier is not None:
        try:
            claims = await verifier.verify(
                request.headers.get("Authorization", ""),
                channel_id=activity.channel_id,
                service_url=activity.service_url,
            )
        except Unauthorized as refusal:
            log.info("Refused a token: %s", refusal)
            return _json_error(401, "Ogiltig eller saknad behörighet.")
        except KeysUnavailable:
            # No signing key fetched yet: let the channel retry later.
            log.warning("Could not verify the token: no signing keys yet")
            return _json_error(503, "Behörigheten kan inte kontrolleras just nu.")
    adapter = request.app[ADAPTER]
    response = await adapter.process_activity(
        _authenticated(adapter, claims), activity, request.app[BOT].on_turn
    )
    if response is not None:
        return web.json_response(response.body, status=response.status)
    return web.Response(status=200)


def _authenticated(adapter: CloudAdapter, claims: dict[str, Any]) -> AuthenticateRequestResult:
    """What botbuilder's own check hands the adapter for these claims (none: anonymous)."""
    identity = ClaimsIdentity(
        claims, True, None if claims else AuthenticationConstants.ANONYMOUS_AUTH_TYPE
    )
    authentication = adapter.bot_framework_authentication
    result = AuthenticateRequestResult()
    result.claims_identity = identity
    result.audience = authentication.get_originating_audience()
    result.caller_id = CallerIdConstants.public_azure_channel if claims else None
    result.connector_factory = authentication.create_connector_factory(identity)
    return result


async def healthz(request: web.Request) -> web.Response:
    if await ping(request.app[ENGINE]):
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "databasen svarar inte"}, status=503)


async def _on_turn_error(turn_context: TurnContext, error: Exception) -> None:
    # Only the error type: the message may quote what a user wrote.
    log.error("Turn failed: %s", type(error).__name__)
    await turn_context.send_activity(to_activity(Reply(text=texts.SOMETHING_WENT_WRONG)))


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

    async def resources(app: web.Application) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        sessionmaker = create_sessionmaker(engine)
        cases = CaseService(sessionmaker)
        storage = SqlStorage(BotStateStore(sessionmaker))
        adapter = create_adapter(settings)
        adapter.on_turn_error = _on_turn_error
        app[ENGINE] = engine
        app[ADAPTER] = adapter
        if settings.app_id:
            app[TOKENS] = TokenVerifier(settings.app_id, metadata_url=openid_metadata_url)
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
        if TOKENS in app:
            await app[TOKENS].close()
        await engine.dispose()

    app.cleanup_ctx.append(resources)
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    return app
