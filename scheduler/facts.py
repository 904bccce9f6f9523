"""One case as the reminder rules see it: plain values, no database types.

The storage layer maps its rows to these; the rules never see names,
personnummer or note text.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class ContactHistory(NamedTuple):
    """The days of a case's contacts and home visits that the rules look at.

    An attempt is any logged contact or home visit; reached means an established
    contact: the youth or a guardian was actually reached (a talk, a meeting, an
    answered call or message, a home visit where someone was met). A letter, an
    unanswered call or "ej nådd" is an attempt only. The rules ask nothing else of a
    history, so these days stand in for one of any length, and the database works
    them out (scheduler/loading.py).
    """

    first_attempt: date | None = None
    last_attempt: date | None = None
    first_reached: date | None = None
    last_reached: date | None = None
    last_contact: date | None = None  # the last contact, home visits not counted
    last_visit: date | None = None


NO_CONTACT = ContactHistory()


class MeasureFact(NamedTuple):
    """One measure with its documented dates.

    ``followed_up`` / ``evaluated`` say whether the follow-up planned for
    ``follow_up_on`` / the evaluation planned for ``evaluate_on`` is documented.
    """

    measure_id: int
    follow_up_on: date | None = None
    evaluate_on: date | None = None
    ends_on: date | None = None
    end_reason: str | None = None
    followed_up: bool = False
    evaluated: bool = False


class CaseFacts(NamedTuple):
    """What the rules need to know about one case; ``active`` is False once closed.

    A named tuple, as are the others here: the daily job builds one for every active
    case, and a frozen dataclass costs several times as much to build.
    """

    case_id: int
    registered_on: date
    birth_date: date
    active: bool = True
    history: ContactHistory = NO_CONTACT
    measures: tuple[MeasureFact, ...] = ()
    has_plan: bool = False

    @property
    def ever_reached(self) -> bool:
        """Whether the youth or a guardian was ever reached (a contact or a home visit)."""
        return self.history.last_reached is not None
