"""Engine, sessions and schema migrations for the one case store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, make_url, text
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_direct

MIGRATIONS = Path(__file__).parent / "migrations"


# A session or transaction started with this execution option writes: on SQLite it takes the
# write lock at BEGIN (BEGIN IMMEDIATE) instead of upgrading a read snapshot later, which
# SQLite refuses at once (SQLITE_BUSY_SNAPSHOT) when another connection wrote meanwhile.
WRITES = {"kaa_writes": True}


def create_engine(url: str, *, on_loop: bool = False) -> AsyncEngine:
    """The case store's engine. ``on_loop`` (SQLite only; PostgreSQL's driver needs no
    threads): statements run on the event loop's thread (storage.sqlite_direct), for the
    short transactions of chat turns."""
    # Bound values are personal data: keep them out of SQL logging and error messages.
    if url.startswith("sqlite"):
        options: dict[str, Any] = {"connect_args": {"timeout": 30}}
        if on_loop:
            path = make_url(url).database or ""

            async def direct() -> sqlite_direct.Connection:
                return sqlite_direct.connect(path)

            options = {"async_creator": direct}
        engine = create_async_engine(url, hide_parameters=True, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_settings)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    # Just-in-time compilation costs PostgreSQL 20–30 ms per statement over its cost
    # threshold, more than it saves on the daily job's and the reports' reads.
    return create_async_engine(
        url,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"server_settings": {"jit": "off"}},
    )


def _sqlite_settings(dbapi_connection: Any, _record: object) -> None:
    # With the default rollback journal the daily job's reading of every case would
    # hold back each write in chat until it finished; with a write-ahead log readers
    # and the one writer do not wait for each other. NORMAL syncs the log to disk at
    # checkpoints instead of at every commit: a power cut can lose the last commits,
    # never the store's consistency (SQLite's own advice for a write-ahead log).
    # Memory-mapped reads share the operating system's cache between the pool's
    # connections instead of each warming a small page cache of its own.
    # The sqlite3 driver's own transaction handling skips BEGIN before a SELECT or a
    # SAVEPOINT, so a savepoint would not belong to the transaction around it: turn it off
    # and let SQLAlchemy's "begin" event say BEGIN (SQLAlchemy's documented recipe).
    if dbapi_connection.isolation_level is not None:
        dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    writes = connection.get_execution_options().get("kaa_writes")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def create_sessionmaker(
    engine: AsyncEngine, *, writes: bool = False
) -> async_sessionmaker[AsyncSession]:
    """Sessions for the case store; with ``writes`` each transaction is a writing one."""
    options = {"execution_options": WRITES} if writes else {}
    return async_sessionmaker(engine, expire_on_commit=False, **options)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to the newest migration, on the engine's own connection."""
    await migrate(engine, command.upgrade, "head")


async def migrate(engine: AsyncEngine, step: Callable[[Config, str], None], revision: str) -> None:
    """Run an Alembic command (``command.upgrade`` or ``command.downgrade``) to ``revision``."""

    def run(connection: Connection) -> None:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        step(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


# What a store that does not answer raises: a lost or refused connection, a timeout, or
# SQLite still locked after its busy timeout.
UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError, OSError, TimeoutError)


async def ping(engine: AsyncEngine) -> bool:
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        return False
    return True
