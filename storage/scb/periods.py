"""SCB's reporting periods: every calendar half-year, without an end date.

A period's deadline — the day its file must be uploaded — is announced by SCB for each
collection. Until an admin has set the announced date (storage/scb/calendar.py), the
default rule gives one: the first Monday on or after 13 September for the first
half-year, on or after 13 February of the next year for the second (the dates SCB has
used). Which code list a period uses is also storage/scb/calendar.py's: the newest
installed one that is valid from the period or earlier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storage.reports.period import Period, current_half_year, previous_half_year

DEADLINE_DAY = 13
MONDAY = 0


def default_deadline(period: Period) -> date:
    """The deadline by the default rule (see the module's docstring)."""
    year = period.start.year
    first_half = period.start.month == 1
    anchor = date(year, 9, DEADLINE_DAY) if first_half else date(year + 1, 2, DEADLINE_DAY)
    return anchor + timedelta(days=(MONDAY - anchor.weekday()) % 7)


def reporting_half_year(today: date) -> Period:
    """The half-year to report now: the latest one that has ended."""
    return previous_half_year(current_half_year(today))


@dataclass(frozen=True)
class ReportingPeriod:
    """A half-year reported to SCB: its deadline and its code list, each either confirmed by
    someone (an admin, an imported list) or only assumed."""

    code: str
    start: date
    end: date
    deadline: date
    deadline_confirmed: bool = False
    # The name of the code list in force; None when no installed list covers the period.
    code_list: str | None = None
    code_list_confirmed: bool = False

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        half = "första" if self.start.month == 1 else "andra"
        return f"{half} halvåret {self.start.year}"

    @property
    def unconfirmed(self) -> tuple[str, ...]:
        """What nobody has confirmed yet: "datum", "kodlista" (or nothing)."""
        return tuple(
            what
            for what, confirmed in (
                ("datum", self.deadline_confirmed),
                ("kodlista", self.code_list_confirmed),
            )
            if not confirmed
        )


def deadline_text(period: ReportingPeriod) -> str:
    """The deadline and whether it is SCB's confirmed date or the default rule's."""
    how = "bekräftad" if period.deadline_confirmed else "enligt standardregeln, ej bekräftad"
    return f"{period.deadline.isoformat()} ({how})"
