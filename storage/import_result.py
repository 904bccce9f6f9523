"""What an import did, row by row, and its Swedish summary (row numbers, field names and
reasons only, never the values: the summary may be shown in chat)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from storage.youth_fields import FIELD_LABELS


@dataclass(frozen=True)
class RejectedRow:
    row: int
    reason: str


@dataclass(frozen=True)
class KnownRow:
    row: int
    case_id: int
    closed: bool = False
    # What the row filled in on the known youth, and what it gave otherwise (field keys).
    filled: tuple[str, ...] = ()
    differing: tuple[str, ...] = ()
    # The staff member the file named who got the case, since it had no coordinator; or the
    # coordinator it already had, when the file named someone else.
    assigned_to: str | None = None
    kept_by: str | None = None


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    known: list[KnownRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()

    @property
    def rows_read(self) -> int:
        return len(self.created) + len(self.known) + len(self.rejected)

    def summary(self, max_listed: int | None = None) -> str:
        """The Swedish answer; row numbers, field names and reasons only, never the values."""
        lines = [f"Filen är inläst: {_rows(self.rows_read)} med ungdomar."]
        lines.append(f"- {len(self.created)} nya ungdomar registrerades.")
        changed = [known for known in self.known if known.filled]
        assigned = [known for known in self.known if known.assigned_to]
        lines.append(
            f"- {len(self.known)} fanns redan i registret"
            + (" och ändrades inte." if not (changed or assigned) else ".")
        )
        lines.extend(
            f"  - Rad {known.row}: kompletterade {_fields(known.filled)}." for known in changed
        )
        lines.extend(
            f"  - Rad {known.row}: fick handläggaren {known.assigned_to}." for known in assigned
        )
        lines.extend(
            f"  - Rad {known.row}: har redan handläggaren {known.kept_by} och behöll den."
            for known in self.known
            if known.kept_by
        )
        lines.extend(
            f"  - Rad {known.row}: {_fields(known.differing)} skiljer sig från registret och "
            "ändrades inte – skriv **ändra** och namnet i chatten om filen har rätt."
            for known in self.known
            if known.differing
        )
        closed = [known.row for known in self.known if known.closed]
        if closed:
            lines.append(
                f"  - Avslutat ärende på rad {_row_list(closed)} – registrera en ny period "
                "i chatten om ungdomen är tillbaka i aktivitetsansvaret."
            )
        lines.append(f"- {len(self.rejected)} avvisades – inget sparades för dem.")
        shown = self.rejected if max_listed is None else self.rejected[:max_listed]
        lines.extend(f"  - Rad {rejected.row}: {rejected.reason}" for rejected in shown)
        if len(shown) < len(self.rejected):
            lines.append(f"  - … och {_rows(len(self.rejected) - len(shown))} till.")
        if self.ignored_columns:
            lines.append(
                "Kolumner som jag inte känner igen och hoppade över: "
                + ", ".join(self.ignored_columns)
                + "."
            )
        return "\n".join(lines)


def _rows(count: int) -> str:
    return f"{count} rad" if count == 1 else f"{count} rader"


def _row_list(rows: Sequence[int]) -> str:
    return ", ".join(str(row) for row in rows)


def _fields(keys: Sequence[str]) -> str:
    labels = [FIELD_LABELS[key] for key in keys]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " och " + labels[-1]
