"""SQLite on the event loop's own thread, for the short transactions of chat turns.

aiosqlite runs every statement in a thread of its own and hands the result back through the
event loop: about 0.2 ms of CPU and a loop wake-up per statement, several times what SQLite
needs for a turn's small statements. A chat turn's dozen statements on SQLite take
microseconds each, and turns already hold SQLite's single write lock one at a time, so this
connection runs them directly instead: the same interface SQLAlchemy's aiosqlite dialect
expects (coroutines, here finished at once), the plain `sqlite3` driver underneath.

Blocking is bounded: the connection waits at most `BUSY_TIMEOUT` for another process's
lock (the turn runner retries BEGIN asynchronously after that), and long reads — the daily
job, exports — keep using aiosqlite's threads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterable, Sequence
from typing import Any

# How long a statement may wait for another process's lock while holding up the event loop.
BUSY_TIMEOUT = 0.05


class Cursor:
    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def execute(self, operation: str, parameters: Sequence[Any] = ()) -> Cursor:
        self._cursor.execute(operation, parameters)
        return self

    async def executemany(self, operation: str, parameters: Iterable[Sequence[Any]]) -> Cursor:
        self._cursor.executemany(operation, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size) if size is not None else self._cursor.fetchmany()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        return None


class Connection:
    """What SQLAlchemy's aiosqlite adapter calls on an aiosqlite connection."""

    __slots__ = ("_connection",)

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def cursor(self) -> Cursor:
        return Cursor(self._connection.cursor())

    @property
    def isolation_level(self) -> str | None:
        return self._connection.isolation_level

    async def commit(self) -> None:
        self._connection.commit()

    async def rollback(self) -> None:
        self._connection.rollback()

    async def close(self) -> None:
        self._connection.close()

    def stop(self) -> None:
        """What the adapter calls to terminate a connection it gave up on."""
        self._connection.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._connection.create_function(*args, **kwargs)

    def __await__(self) -> Generator[Any, None, Connection]:
        # The adapter awaits what the creator returns: this connection is ready at once.
        return self._ready().__await__()

    async def _ready(self) -> Connection:
        return self


def connect(path: str) -> Connection:
    # isolation_level=None: SQLAlchemy says BEGIN itself (see storage.db); the connection is
    # only ever used by the event loop's thread, but the pool may close it from another.
    return Connection(
        sqlite3.connect(
            path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
    )
