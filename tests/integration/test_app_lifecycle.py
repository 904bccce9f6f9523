"""The app closes every resource it opened on shutdown, even when closing another one fails:
the database engine above all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import create_app
from bot.attachments import FileImporter
from bot.connector import Connector
from bot.files import FileDelivery
from bot.token_check import TokenVerifier
from bot.turns import TurnRunner
from tests.environment import explicit_settings


class Failed(Exception):
    """What a failing close raises here."""


def _record_closes(
    monkeypatch: pytest.MonkeyPatch, closers: tuple[tuple[type, str, str], ...]
) -> list[str]:
    """The names of the closers called, in order; each still closes what it closed."""
    closed: list[str] = []
    for cls, method, name in closers:
        original = getattr(cls, method)

        async def close(self: object, name: str = name, original: Any = original) -> None:
            closed.append(name)
            await original(self)

        monkeypatch.setattr(cls, method, close)
    return closed


def _failing(original: Callable[..., Any]) -> Callable[..., Any]:
    async def close(self: object) -> None:
        await original(self)  # what it holds is let go; then the close reports a failure
        raise Failed(type(self).__name__)

    return close


async def test_every_resource_is_closed_when_closing_others_fails(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = _record_closes(
        monkeypatch,
        (
            (AsyncEngine, "dispose", "engine"),
            (FileDelivery, "close", "delivery"),
            (TokenVerifier, "close", "tokens"),
        ),
    )
    # The runner is closed first, then what it used; the connector just before the engine.
    for cls in (TurnRunner, FileImporter, Connector):
        monkeypatch.setattr(cls, "close", _failing(cls.close))
    settings = explicit_settings(database_url=database_url, reminders=False, app_id="kaa-test")
    server = TestServer(create_app(settings))
    await server.start_server()

    with pytest.raises(Exception) as failure:
        await server.close()

    assert "Failed" in repr(failure.value)
    # The turns' own engine on SQLite (run on the event loop), and the app's engine.
    engines = 2 if database_url.startswith("sqlite") else 1
    assert sorted(closed) == sorted(["delivery", "tokens"] + ["engine"] * engines)
    assert closed[-1] == "engine"


async def test_a_clean_shutdown_closes_everything_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = _record_closes(
        monkeypatch,
        (
            (AsyncEngine, "dispose", "engine"),
            (FileImporter, "close", "files"),
            (FileDelivery, "close", "delivery"),
            (Connector, "close", "connector"),
            (TurnRunner, "close", "runner"),
        ),
    )
    server = TestServer(create_app(explicit_settings(database_url=database_url, reminders=False)))
    await server.start_server()
    await server.close()

    engines = 2 if database_url.startswith("sqlite") else 1
    assert sorted(closed) == sorted(
        ["runner", "files", "delivery", "connector"] + ["engine"] * engines
    )
