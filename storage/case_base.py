"""What every part of the case API shares: the session source, scoping, roles, versions."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from storage.audit import Actor
from storage.case_errors import CaseError, NotAllowed, NotFound, StaleCase
from storage.models import KaaCase, utcnow
from storage.sessions import SessionSource, transaction

MAX_NOTE = 2000


def note_text(text: str | None) -> str | None:
    """A note as stored: trimmed, None when empty; refused when over MAX_NOTE characters."""
    note = (text or "").strip()
    if len(note) > MAX_NOTE:
        raise CaseError(f"Anteckningen får vara högst {MAX_NOTE} tecken.")
    return note or None


def require_code(table: dict[str, str], code: str, what: str) -> None:
    if code not in table:
        choices = ", ".join(table.values())
        raise CaseError(f"Okänt värde för {what}. Välj något av: {choices}.")


class CaseServiceBase:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker
        # Whether a call of this service changed case data (a chat turn's receipt says so).
        self.changed = False

    @property
    def sessionmaker(self) -> SessionSource:
        """For queries beside the service (storage.case_queries): in a chat turn the turn's
        own session, so they see what the turn wrote."""
        return self._sessionmaker

    def _transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        return transaction(self._sessionmaker)

    async def _case(self, session: AsyncSession, actor: Actor, case_id: int) -> KaaCase:
        case = await session.get(KaaCase, case_id)
        if case is None or case.municipality_id != actor.municipality_id:
            raise NotFound(f"Hittar inget ärende med nummer {case_id}.")
        return case

    @staticmethod
    def _require_writer(actor: Actor) -> None:
        if actor.role == "manager":
            raise NotAllowed("Som chef kan du läsa ärenden men inte ändra dem.")

    async def _touch(
        self, session: AsyncSession, case: KaaCase, expected_version: int | None = None
    ) -> None:
        """Bump the case version; with `expected_version`, refuse a stale change."""
        statement = update(KaaCase).where(KaaCase.id == case.id)
        if expected_version is not None:
            statement = statement.where(KaaCase.version == expected_version)
        bumped = (
            await session.execute(
                statement.values(version=KaaCase.version + 1, updated_at=utcnow())
                .returning(KaaCase.version, KaaCase.updated_at)
                .execution_options(synchronize_session=False)
            )
        ).one_or_none()
        if bumped is None:
            raise StaleCase()
        # What the database now holds, without reading the row again or marking it changed.
        set_committed_value(case, "version", bumped.version)
        set_committed_value(case, "updated_at", bumped.updated_at)

    async def _writable_case(
        self, session: AsyncSession, actor: Actor, case_id: int, expected_version: int | None
    ) -> KaaCase:
        self._require_writer(actor)
        case = await self._case(session, actor, case_id)
        if case.status != "active":
            raise CaseError("Ärendet är avslutat. Registrera en ny period om ungdomen är tillbaka.")
        await self._touch(session, case, expected_version)
        self.changed = True
        return case
