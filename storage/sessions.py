"""Where storage code gets its database session: its own, or the chat turn's one.

Everything in `storage/` opens sessions through a *source*: a callable that returns an
async context manager yielding an `AsyncSession`. An `async_sessionmaker` is one (each use
a new session: the command line, the daily job). A `TurnUnit` is the other: it lends every
user the one session of a chat turn, so the turn's reads see its own writes and the case
change, its audit entries, the dialog state and the turn's receipt commit together or not
at all. Writers use `transaction(source)`: a transaction of their own, or inside a turn a
savepoint, so a refusal (`CaseError`) raised inside undoes only that write and the turn
goes on to tell the user why.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import WRITES

SessionSource = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@asynccontextmanager
async def transaction(source: SessionSource) -> AsyncIterator[AsyncSession]:
    """A writing transaction, or a savepoint when the session is already in one."""
    async with source() as session:
        if session.in_transaction():
            async with session.begin_nested():
                yield session
        else:
            async with session.begin():
                await session.connection(execution_options=WRITES)
                yield session


@asynccontextmanager
async def audited(source: SessionSource) -> AsyncIterator[AsyncSession]:
    """A read that records who read what: its own transaction, or inside a turn the turn's
    transaction as it is — an audit entry needs no savepoint, since a read refused along the
    way has written nothing else."""
    async with source() as session:
        if session.in_transaction():
            yield session
        else:
            async with session.begin():
                # The audit entry is a write: on SQLite a read snapshot upgraded to one
                # fails at once ("database is locked") when another connection wrote since.
                await session.connection(execution_options=WRITES)
                yield session


class _Lent(AbstractAsyncContextManager[AsyncSession]):
    """The turn's session for one `async with`; closing it is the turn's job, not the user's."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def __aenter__(self) -> AsyncSession:
        return self._session

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        return None


class TurnUnit:
    """A session source that lends one session, already in its (writing) transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def __call__(self) -> AbstractAsyncContextManager[AsyncSession]:
        return _Lent(self.session)
