"""Shared fixtures: every database-backed test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator, Iterator

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import create_engine, create_sessionmaker, upgrade
from tests.postgres_server import PostgresServer

_databases = itertools.count()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'kaa.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.url(f"test_{next(_databases)}")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    if database_url.startswith("postgresql"):
        name = database_url.rsplit("/", 1)[1]
        admin = await asyncpg.connect(
            database_url.replace("+asyncpg", "").rsplit("/", 1)[0] + "/postgres"
        )
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show that the database tests ran on both engines."""
    counts: dict[str, dict[str, int]] = {"sqlite": {}, "postgresql": {}}
    for outcome in ("passed", "failed", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if report.when != "call" and outcome != "error":
                continue
            for engine, tally in counts.items():
                if re.search(rf"[\[-]{engine}[\]-]", report.nodeid):
                    tally[outcome] = tally.get(outcome, 0) + 1
    terminalreporter.section("database tests per engine")
    for engine, tally in counts.items():
        summary = ", ".join(f"{n} {outcome}" for outcome, n in tally.items()) or "none"
        terminalreporter.write_line(f"{engine}: {summary}")
