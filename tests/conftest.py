"""Shared fixtures: every database-backed test runs on SQLite and on a real PostgreSQL; the
session's clock (`--today`) and settings that never come from the developer's shell."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import create_engine, create_sessionmaker, upgrade
from tests import clock
from tests.environment import hide_shell_settings
from tests.postgres_server import PostgresServer

_databases = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today",
        metavar="DATE",
        help="run every test on this day (2027-01-05: noon in Stockholm) or local time "
        "(2027-01-05T00:30), the clock ticking on from there",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Before collection: some test modules compute dates when they are imported.
    clock.start(config)


def pytest_unconfigure(config: pytest.Config) -> None:
    clock.stop(config)


def pytest_report_header(config: pytest.Config) -> str:
    return f"today: {date.today().isoformat()}" + (" (--today)" if clock.moved(config) else "")


@pytest.fixture(autouse=True)
def _no_settings_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    hide_shell_settings(monkeypatch)


@pytest.fixture(scope="session")
def kaa_bot_command(pytestconfig: pytest.Config) -> Callable[..., list[str]]:
    """The command line of `kaa-bot ARGS` for a child process, on this session's clock."""
    return functools.partial(clock.kaa_bot_command, pytestconfig)


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
