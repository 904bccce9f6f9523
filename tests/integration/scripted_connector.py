"""A local Teams connector that answers with scripted statuses, for proactive-send tests."""

from __future__ import annotations

import itertools
from collections import deque
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.connector import BotTokens, Connector
from tests.environment import explicit_settings


def anonymous_connector() -> Connector:
    """A connector client without credentials, as the bot uses one in local runs."""
    return Connector(BotTokens(explicit_settings(app_id="", app_password="")))


_ids = itertools.count(1)
DROP = 0


class ScriptedConnector:
    """Answers each POST with the next scripted (status, headers), then 200; counts requests.

    Status ``DROP`` closes the connection without an answer, as a reset connection does.
    ``delivered`` holds only the activities answered with 200 — what reached the user.
    """

    def __init__(self, script: list[tuple[int, dict[str, str]]] | None = None) -> None:
        self.script: deque[tuple[int, dict[str, str]]] = deque(script or [])
        self.requests: list[dict[str, Any]] = []
        self.delivered: list[dict[str, Any]] = []
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._receive)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._receive)
        self.server = TestServer(app)

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.json()
        body["_conversation"] = request.match_info["conversation"]
        self.requests.append(body)
        if self.script:
            status, headers = self.script.popleft()
            if status == DROP:
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            return web.json_response(
                {"error": {"code": "Scripted", "message": "scripted failure"}},
                status=status,
                headers=headers,
            )
        self.delivered.append(body)
        return web.json_response({"id": f"sent-{next(_ids)}"})

    @property
    def url(self) -> str:
        return str(self.server.make_url("/"))
