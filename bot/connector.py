"""Sending activities to the Bot Framework connector (Teams), on the event loop.

botbuilder 4.17.1 builds a new msrest ConnectorClient for every turn (each constructing
msrest's retry policy, about 2.7 ms), serialises activities through msrest models (4 ms for
a 26 KB card; `json.dumps` takes 0.17 ms) and posts them with `requests` in a thread pool.
This client posts the JSON directly over one shared aiohttp session. The bearer token still
comes from botframework-connector's credentials (MSAL, which blocks on the network): it is
fetched in a thread, cached until shortly before it expires, and shared by every send.

Errors carry the HTTP status and the connector's Retry-After; retrying is the caller's
(`bot.proactive.ProactiveSender`), so a turn can answer Teams at once and retry later.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import aiohttp
import jwt
from botbuilder.integration.aiohttp import ConfigurationServiceClientCredentialFactory
from botframework.connector.auth import AppCredentials, AuthenticationConstants

from bot.settings import Settings

SEND_TIMEOUT_SECONDS = 15
# A token is renewed this long before it expires, so a send never carries an expired one.
TOKEN_MARGIN_SECONDS = 300


@dataclass
class DeliveryError(Exception):
    """The connector refused or could not be reached; ``status`` is None for the latter."""

    status: int | None
    retry_after: str | None = None
    kind: str = "HTTPError"

    def __str__(self) -> str:
        return f"{self.kind} {self.status or ''}".strip()


class BotTokens:
    """The bot's bearer token for the connector; none for an anonymous (local) bot."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._credentials: AppCredentials | None = None
        self._token: str | None = None
        self._renew_at = 0.0
        self._lock = asyncio.Lock()

    @property
    def anonymous(self) -> bool:
        return not self._settings.app_id

    async def header(self) -> dict[str, str]:
        if self.anonymous:
            return {}
        if self._token is None or time.monotonic() >= self._renew_at:
            async with self._lock:
                if self._token is None or time.monotonic() >= self._renew_at:
                    await self._renew()
        return {"Authorization": f"Bearer {self._token}"}

    async def _renew(self) -> None:
        if self._credentials is None:
            factory = ConfigurationServiceClientCredentialFactory(
                SimpleNamespace(**self._settings.bot_framework_config())
            )
            self._credentials = await factory.create_credentials(
                self._settings.app_id,
                AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
                AuthenticationConstants.TO_CHANNEL_FROM_BOT_LOGIN_URL,
                True,
            )
        token = await asyncio.to_thread(self._credentials.get_access_token)
        claims = jwt.decode(token, options={"verify_signature": False})
        lifetime = float(claims.get("exp", time.time() + 600)) - time.time()
        self._token = token
        self._renew_at = time.monotonic() + max(0.0, lifetime - TOKEN_MARGIN_SECONDS)


class Connector:
    """Posts activities to a conversation at its serviceUrl over one aiohttp session."""

    def __init__(self, tokens: BotTokens, session: aiohttp.ClientSession | None = None) -> None:
        self._tokens = tokens
        self._session = session or aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=SEND_TIMEOUT_SECONDS),
            json_serialize=json.dumps,
        )

    async def close(self) -> None:
        await self._session.close()

    async def send(
        self, reference: dict[str, Any], activity: dict[str, Any], reply_to: str | None = None
    ) -> None:
        """Post ``activity`` to the conversation of ``reference`` (a stored conversation
        reference: serviceUrl, conversation, bot, user), as a reply to ``reply_to`` if given."""
        conversation = reference["conversation"]
        body = {
            **activity,
            "channelId": reference.get("channelId"),
            "serviceUrl": reference["serviceUrl"],
            "conversation": conversation,
            "from": reference.get("bot"),
            "recipient": reference.get("user"),
        }
        url = (
            f"{reference['serviceUrl'].rstrip('/')}/v3/conversations/"
            f"{quote(str(conversation['id']), safe='')}/activities"
        )
        if reply_to:
            body["replyToId"] = reply_to
            url += f"/{quote(reply_to, safe='')}"
        try:
            headers = await self._tokens.header()
            async with self._session.post(url, json=body, headers=headers) as response:
                if response.status >= 300:
                    raise DeliveryError(response.status, response.headers.get("Retry-After"))
                await response.read()
        except DeliveryError:
            raise
        except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as error:
            # ValueError: a serviceUrl aiohttp cannot even parse as a URL.
            raise DeliveryError(None, kind=type(error).__name__) from None
