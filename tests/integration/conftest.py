"""Fixtures for driving the bot over HTTP the way Teams does, on both databases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from storage.audit import Actor
from storage.cases import CaseService
from storage.demo import DEMO_CODE, DEMO_NAME
from tests.environment import explicit_settings
from tests.integration.capture import capture  # noqa: F401  (the capture dialogs' world)
from tests.integration.cli import run  # noqa: F401  (kaa-bot in the test's process)
from tests.integration.kaa_bot import kaa_bot  # noqa: F401  (kaa-bot as a process)
from tests.integration.teams import FakeConnector

SYSTEM = Actor(label="test", municipality_id=None, role="system")


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    fake = FakeConnector()
    await fake.server.start_server()
    yield fake
    await fake.server.close()


@pytest.fixture
async def start_bot(database_url, engine) -> AsyncIterator[Callable[..., Any]]:
    clients: list[TestClient] = []

    async def start(demo: bool = True, url: str | None = None, **overrides: Any) -> TestClient:
        # The reminder schedule would send digests between the turns a test expects.
        overrides.setdefault("reminders", False)
        settings = explicit_settings(database_url=url or database_url, **overrides)
        app = create_app(settings, demo_municipality=DEMO_CODE if demo else None)
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


@pytest.fixture
async def demo_bot(start_bot, sessionmaker) -> TestClient:
    await CaseService(sessionmaker).add_municipality(SYSTEM, DEMO_CODE, DEMO_NAME)
    return await start_bot()
