"""The turns benchmark's timing: a turn lasts until its last reply reached the connector, and a
reply too many stops the benchmark instead of being counted to the next turn."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from bench.connector import LocalConnector, timed_turn
from bench.processes import BenchError

REPLY_DELAY = 0.05


@pytest.fixture
async def connector() -> AsyncIterator[LocalConnector]:
    connector = LocalConnector()
    await connector.start()
    yield connector
    await connector.stop()


@pytest.fixture
async def late_bot() -> AsyncIterator[TestServer]:
    """Answers HTTP 200 at once and sends `replies` replies REPLY_DELAY later."""
    tasks: set[asyncio.Task[None]] = set()
    http = ClientSession()

    async def reply(activity: dict[str, Any]) -> None:
        await asyncio.sleep(REPLY_DELAY)
        conversation = activity["conversation"]["id"]
        url = f"{activity['serviceUrl']}v3/conversations/{conversation}/activities"
        for _ in range(activity["replies"]):
            async with http.post(url, json={"type": "message", "text": "svar"}) as response:
                assert response.status == 200

    async def messages(request: web.Request) -> web.Response:
        task = asyncio.create_task(reply(await request.json()))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    server = TestServer(app)
    await server.start_server()
    yield server
    await asyncio.gather(*tasks)
    await server.close()
    await http.close()


def _activity(connector: LocalConnector, replies: int) -> bytes:
    activity = {"serviceUrl": connector.url, "conversation": {"id": "c1"}, "replies": replies}
    return json.dumps(activity).encode()


async def test_a_turn_lasts_until_its_last_reply(connector, late_bot):
    url = str(late_bot.make_url("/api/messages"))
    inbox = connector.inbox("c1")
    async with ClientSession() as http:
        learned = await timed_turn(http, url, inbox, _activity(connector, 2), None)
        timed = await timed_turn(http, url, inbox, _activity(connector, 2), 2)

    assert len(learned.bodies) == 2 and learned.replies()[0]["text"] == "svar"
    assert timed.seconds >= REPLY_DELAY and len(timed.bodies) == 2
    assert connector.stray_replies() == 0


async def test_a_reply_too_many_stops_the_benchmark(connector, late_bot):
    url = str(late_bot.make_url("/api/messages"))
    async with ClientSession() as http:
        with pytest.raises(BenchError, match=r"replies to a turn that gave 1|between turns"):
            await timed_turn(http, url, connector.inbox("c1"), _activity(connector, 3), 1)
            await asyncio.sleep(REPLY_DELAY * 2)
            await timed_turn(http, url, connector.inbox("c1"), _activity(connector, 1), 1)
