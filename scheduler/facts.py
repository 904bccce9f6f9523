"""One case as the reminder rules see it: plain values, no database types.

The storage layer maps its rows to these; the rules never see names,
personnummer or note text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class ContactFact:
    """One logged contact or contact attempt.

    ``established`` is True when the youth or guardian was actually reached
    (a talk, a meeting, an answered call or message). A letter, an unanswered
    call or "ej nådd" is an attempt only.
    """

    on: date
    channel: str
    established: bool


@dataclass(frozen=True, slots=True)
class HomeVisitFact:
    """A home visit; ``met`` when the youth or guardian was met (an established contact)."""

    on: date
    met: bool


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

    A named tuple, as is MeasureFact: the daily job builds one for every active case,
    and a frozen dataclass costs several times as much to build.
    """

    case_id: int
    registered_on: date
    birth_date: date
    active: bool = True
    contacts: tuple[ContactFact, ...] = ()
    home_visits: tuple[HomeVisitFact, ...] = ()
    measures: tuple[MeasureFact, ...] = ()
    first_plan_on: date | None = None

    @property
    def ever_reached(self) -> bool:
        """Whether the youth or a guardian was ever reached (a contact or a home visit)."""
        # Loops, not any() over generators: the daily job asks this of every active case.
        for contact in self.contacts:
            if contact.established:
                return True
        for visit in self.home_visits:
            if visit.met:
                return True
        return False
