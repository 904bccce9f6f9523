"""A measure's (insats) fields, in one place: what is entered when it is added (MeasureInput,
one of the case API's inputs), the whole record as it stands, and a saved one with its id.

The table (`storage.models.Measure`) has a column for each field of a saved measure;
`tests/unit/test_measures.py` keeps the two the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage import codes
from storage.case_inputs import MeasureInput
from storage.records import FromRow


@dataclass(frozen=True)
class MeasureRecord(MeasureInput, FromRow):
    """A measure as it stands: what was entered, and how it ended and was evaluated."""

    ended_on: date | None = None
    end_reason: str | None = None
    evaluated_on: date | None = None
    evaluation_outcome: str | None = None
    evaluation_effect: str | None = None
    # Called off before it started (ended_on is the day): it never happened.
    cancelled: bool = False


@dataclass(frozen=True, kw_only=True)
class SavedMeasure(MeasureRecord):
    """A measure in the case store, for showing it and choosing it in a dialog."""

    id: int

    @property
    def open(self) -> bool:
        return self.ended_on is None

    def label(self, types: dict[str, str]) -> str:
        """The measure as a choice in a dialog: its type and, when known, its start."""
        start = f", start {self.starts_on.isoformat()}" if self.starts_on else ""
        return f"{codes.label(types, self.measure_type)} (nr {self.id}{start})"
