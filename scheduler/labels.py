"""Who the cases in an answer are about: personnummer, names and guardians.

For the staff member's own 1:1 chat only (the digest, "vad har jag idag?"); each case shown
there is audited by the caller.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache

from sqlalchemy import Row, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.loading import Scope, active, bound
from scheduler.messages import CaseLabel
from storage.models import Guardian, KaaCase, Youth

# Bound ids per statement: well below SQLite's and PostgreSQL's limits on parameters.
_CHUNK = 5000


_LabelRow = tuple[int, str, str, str, int | None, str | None, str | None]


def _labelled() -> Select[_LabelRow]:
    # A guardian adds a row: a youth has one or two, and most have none.
    return (
        select(
            KaaCase.id,
            Youth.personnummer,
            Youth.first_name,
            Youth.last_name,
            Guardian.id,
            Guardian.name,
            Guardian.phone,
        )
        .join(Youth, Youth.id == KaaCase.youth_id)
        .outerjoin(Guardian, Guardian.youth_id == Youth.id)
    )


async def load_case_labels(
    session: AsyncSession, case_ids: Collection[int]
) -> dict[int, CaseLabel]:
    """Personnummer and names of these cases, for the digest sent to the assigned staff."""
    labels: dict[int, CaseLabel] = {}
    ids = sorted(set(case_ids))
    connection = await session.connection()
    for start in range(0, len(ids), _CHUNK):
        rows = await connection.execute(
            _labelled().where(KaaCase.id.in_(ids[start : start + _CHUNK]))
        )
        labels.update(_by_case(rows.all()))
    return labels


async def load_staff_labels(
    session: AsyncSession, municipality_id: int, staff_id: int
) -> dict[int, CaseLabel]:
    """Personnummer and names of one staff member's active cases, for their own answers."""
    scope, values = bound([municipality_id], staff_id)
    connection = await session.connection()
    rows = await connection.execute(_staff_labels_statement(scope), values)
    return _by_case(rows.all())


@cache
def _staff_labels_statement(scope: Scope) -> Select[_LabelRow]:
    return _labelled().where(*active(scope))


def _by_case(rows: Sequence[Row[_LabelRow]]) -> dict[int, CaseLabel]:
    # Plain rows through the Core connection, as for the facts: the ORM's result
    # handling costs more than the reading here.
    labels: dict[int, CaseLabel] = {}
    guardians: dict[int, list[tuple[int, str, str | None]]] = {}
    for case_id, personnummer, first, last, guardian_id, name, phone in rows:
        labels[case_id] = CaseLabel(personnummer, first, last)
        if guardian_id is not None and name is not None:
            guardians.setdefault(case_id, []).append((guardian_id, name, phone))
    for case_id, found in guardians.items():
        ordered = tuple((name, phone) for _id, name, phone in sorted(found))
        labels[case_id] = labels[case_id]._replace(guardians=ordered)
    return labels
