"""The local stand-in for the Teams connector in `bench.turns`, and one timed turn through it.

Both bots send their replies to the activities' serviceUrl, which is this server: it notes
when each reply arrived, per conversation, and answers 200 with an id as Teams does. A turn
is timed from the POST to /api/messages until its last reply has reached the connector and
the bot's HTTP response has arrived — what a user waits for. Every benchmarked user has a
conversation of their own and sends one turn at a time, so the replies that arrive in a
conversation during a turn are that turn's; how many a turn gives is learned from the warm-up
turns, and a reply that arrives between turns stops the benchmark.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, web

from bench.processes import BenchError

REPLY_TIMEOUT = 30.0
# How long the warm-up waits after the HTTP response for replies sent after it.
SETTLE_SECONDS = 0.1
_JSON = {"Content-Type": "application/json"}


@dataclass
class Inbox:
    """The replies of one conversation's current turn: arrival times and bodies."""

    arrivals: list[float] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def add(self, arrived: float, body: bytes) -> None:
        self.arrivals.append(arrived)
        self.bodies.append(body)
        self.changed.set()

    async def wait_for(self, count: int) -> None:
        while len(self.arrivals) < count:
            self.changed.clear()
            await self.changed.wait()

    def take(self) -> list[bytes]:
        bodies = list(self.bodies)
        self.arrivals.clear()
        self.bodies.clear()
        return bodies


class LocalConnector:
    def __init__(self) -> None:
        self.inboxes: dict[str, Inbox] = {}
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._receive)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def inbox(self, conversation: str) -> Inbox:
        return self.inboxes.setdefault(conversation, Inbox())

    def stray_replies(self) -> int:
        """Replies that arrived in a conversation outside its turns."""
        return sum(len(inbox.arrivals) for inbox in self.inboxes.values())

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        arrived = time.perf_counter()
        conversation = request.match_info["conversation"]
        self.inbox(conversation).add(arrived, body)
        return web.json_response({"id": f"reply-{next(self._ids)}"})


def _describe(body: bytes) -> str:
    """What a reply was, for an error message: the activity it answered and its start."""
    reply = json.loads(body)
    return f"{reply.get('replyToId')}: {str(reply.get('text'))[:40]!r}"


@dataclass(frozen=True)
class TurnResult:
    seconds: float
    bodies: list[bytes]

    def replies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for body in self.bodies]


async def timed_turn(
    http: ClientSession, url: str, inbox: Inbox, body: bytes, expected: int | None
) -> TurnResult:
    """POST one activity and wait for its replies; `expected` None learns how many come."""
    if inbox.arrivals:
        raise BenchError(f"{len(inbox.arrivals)} reply(ies) arrived between turns")
    started = time.perf_counter()
    try:
        async with http.post(url, data=body, headers=_JSON) as response:
            await response.read()
            status = response.status
    except ClientError as error:
        raise BenchError(f"the bot did not answer: {type(error).__name__}") from error
    responded = time.perf_counter()
    if not 200 <= status < 300:
        raise BenchError(f"HTTP {status} for a turn")
    if expected is None:
        await asyncio.sleep(SETTLE_SECONDS)
        expected = len(inbox.arrivals)
        if expected == 0:
            raise BenchError("a warm-up turn got no reply")
    else:
        try:
            async with asyncio.timeout(REPLY_TIMEOUT):
                await inbox.wait_for(expected)
        except TimeoutError as error:
            raise BenchError(
                f"{len(inbox.arrivals)} of {expected} replies after {REPLY_TIMEOUT:.0f} s"
            ) from error
        if len(inbox.arrivals) > expected:
            raise BenchError(
                f"{len(inbox.arrivals)} replies to a turn that gave {expected}: "
                + "; ".join(_describe(reply) for reply in inbox.bodies)
            )
    finished = max(responded, inbox.arrivals[expected - 1])
    return TurnResult(finished - started, inbox.take())
