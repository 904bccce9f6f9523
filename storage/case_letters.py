"""Letters in the case API: each letter written is a contact attempt by letter, recorded once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import codes
from storage.audit import Actor, record
from storage.case_base import CaseServiceBase, require_code
from storage.case_inputs import LetterAttempt
from storage.models import ContactEvent

# A letter is an attempt to reach the youth, not an established contact.
LETTER_OUTCOME = "ej_nadd"


class LetterAttempts(CaseServiceBase):
    async def log_letter_attempts(
        self, actor: Actor, case_id: int, written_on: date, attempts: Sequence[LetterAttempt]
    ) -> int:
        """Record each letter as a contact attempt by letter on ``written_on``, exactly once
        per key (also when two instances write the same letters); returns how many were new."""
        for attempt in attempts:
            require_code(codes.COUNTERPARTS, attempt.counterpart, "motpart")
        keys = [attempt.key for attempt in attempts]
        if not keys or not (set(keys) - await self._recorded_letters(case_id, keys)):
            return 0
        async with self._transaction() as session:
            # The case row is locked from here on, so the check below sees every letter
            # a concurrent writer recorded before us.
            case = await self._writable_case(session, actor, case_id, None)
            known = await self._recorded_letters(case.id, keys, session)
            new = [attempt for attempt in attempts if attempt.key not in known]
            for attempt in new:
                event = ContactEvent(
                    case_id=case.id,
                    occurred_on=written_on,
                    channel="brev",
                    counterpart=attempt.counterpart,
                    outcome=LETTER_OUTCOME,
                    note=attempt.note,
                    staff_id=actor.staff_id,
                    letter_key=attempt.key,
                )
                session.add(event)
                await session.flush()
                record(session, actor, "contact.log", case_id=case.id, detail=f"kontakt {event.id}")
            return len(new)

    async def _recorded_letters(
        self, case_id: int, keys: Sequence[str], session: AsyncSession | None = None
    ) -> set[str]:
        statement = select(ContactEvent.letter_key).where(
            ContactEvent.case_id == case_id, ContactEvent.letter_key.in_(keys)
        )
        if session is not None:
            return {key for key in await session.scalars(statement) if key}
        async with self._sessionmaker() as reader:
            return {key for key in await reader.scalars(statement) if key}
