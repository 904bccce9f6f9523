"""KAA_LOG_FORMAT=json over a real turn: every line of a turn carries that turn's id, also the
lines of its reply retried in the background, and the conversation only as a hash."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime

import pytest

from bot.log_format import conversation_tag, log_handler
from bot.log_privacy import install_log_privacy
from tests.integration.scripted_connector import ScriptedConnector
from tests.integration.teams import activity
from tests.logging_state import preserved_logging


@pytest.fixture
def json_log(caplog) -> Iterator[io.StringIO]:
    """The serving process's JSON handler at INFO, into a buffer; all restored afterwards."""
    caplog.set_level(logging.INFO)
    stream = io.StringIO()
    handler = log_handler("json", "Europe/Stockholm", stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with preserved_logging("sqlalchemy.engine.Engine", "aiosqlite"):
            install_log_privacy()
            yield stream
    finally:
        root.removeHandler(handler)


async def test_every_line_of_a_turn_carries_its_id(demo_bot, json_log, monkeypatch):
    async def broken(*_args, **_kwargs):
        raise RuntimeError("the dialog broke")

    monkeypatch.setattr("bot.handler.handle", broken)
    # The first turn's reply is refused twice: once in the turn, once in its retry later.
    connector = ScriptedConnector([(502, {}), (502, {})])
    await connector.server.start_server()
    try:
        for conversation in ("personal-first", "personal-second"):
            body = activity(connector.url, text="hej", conversation_id=conversation)
            assert (await demo_bot.post("/api/messages", json=body)).status == 200
        for _ in range(500):  # the retry waits up to two seconds
            if len(connector.delivered) == 2:
                break
            await asyncio.sleep(0.02)
    finally:
        await connector.server.close()
    assert len(connector.delivered) == 2

    entries = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert all(datetime.fromisoformat(entry["time"]).utcoffset() is not None for entry in entries)
    turns: dict[str, list[dict]] = {}
    for entry in entries:
        if "turn" in entry:
            turns.setdefault(entry["conversation"], []).append(entry)
    first, second = (
        turns[conversation_tag("personal-first")],
        turns[conversation_tag("personal-second")],
    )
    messages = [entry["message"] for entry in first]
    assert messages[:2] == ["Turn failed: RuntimeError", "A reply was not delivered: HTTPError 502"]
    assert messages[2].startswith("Proactive send got HTTPError 502, retry 2 in")
    assert len({entry["turn"] for entry in first}) == 1
    assert [entry["message"] for entry in second] == ["Turn failed: RuntimeError"]
    assert first[0]["turn"] != second[0]["turn"]
    # The raw id only where the stand-in connector (in this process) logs the URLs it serves.
    bots = [line for line in json_log.getvalue().splitlines() if "/v3/conversations/" not in line]
    assert not [line for line in bots if "personal-first" in line or "personal-second" in line]
