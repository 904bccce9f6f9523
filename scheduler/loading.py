"""Case facts for the reminder rules, read from the case store with a few set-based queries.

Never one query per case: the national store has 60 000 youths and a million
contact events. One statement gives a row per active case with its contacts and
home visits aggregated in the database to the days the rules look at — the first
and the last attempt, the first and the last established contact (or visit with
someone met) — which gives the rules exactly the answers the full history would
(tests/unit/test_reminder_loading.py checks the aggregates,
tests/integration/test_reminder_plan.py a whole day's plan); measures, which few
cases have, are read apart. The daily job reads in parts (for_each_part) so the
database and Python work at the same time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import ColumnElement, Row, Select, and_, bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from scheduler.facts import CaseFacts, ContactFact, HomeVisitFact, MeasureFact
from storage import codes
from storage.models import (
    ContactEvent,
    HomeVisit,
    KaaCase,
    Measure,
    Municipality,
    PlanRevision,
    Staff,
    Youth,
)

_CHUNK = 5000
# How a national run reads its cases (see for_each_part), tuned on the benchmark's
# 60 000 cases: parts small enough that the database works on the next ones while
# Python works on this one, and few enough that each part's queries stay cheap;
# a slice of cases between turns of the event loop short enough that the reads
# waiting for their turn are not held up.
READ_PARTS = 8
_READ_AHEAD = 3
_SLICE = 200
MET_AT_HOME = "traffad"
_Fact = TypeVar("_Fact", ContactFact, HomeVisitFact)


class LoadedCase(NamedTuple):
    facts: CaseFacts
    municipality_id: int
    assigned_staff_id: int | None


class CaseLabel(NamedTuple):
    """Who a case is about, for the staff member's own 1:1 digest only."""

    personnummer: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class MunicipalityRow:
    id: int
    code: str
    settings: dict[str, object]


@dataclass(frozen=True)
class StaffRow:
    id: int
    aad_object_id: str
    name: str
    role: str
    municipality_id: int


def contacts_from_bounds(
    first: date, last: date, first_reached: date | None, last_reached: date | None
) -> tuple[ContactFact, ...]:
    """The contacts the rules need, from the first and last attempt and established contact.

    The rules only ask for the earliest and latest contact of each sort, so these
    few stand in for a history of any length.
    """
    return _from_bounds(_contact, first, last, first_reached, last_reached)


def visits_from_bounds(
    first: date, last: date, first_met: date | None, last_met: date | None
) -> tuple[HomeVisitFact, ...]:
    """The home visits the rules need, from the first and last visit and visit with someone
    met: as with contacts, the rules ask for nothing else."""
    return _from_bounds(_visit, first, last, first_met, last_met)


def _from_bounds(
    fact: Callable[[date, bool], _Fact],
    first: date,
    last: date,
    first_reached: date | None,
    last_reached: date | None,
) -> tuple[_Fact, ...]:
    attempts = (fact(first, False),) if last == first else (fact(first, False), fact(last, False))
    if first_reached is None or last_reached is None:
        return attempts
    if last_reached == first_reached:
        return (*attempts, fact(first_reached, True))
    return (*attempts, fact(first_reached, True), fact(last_reached, True))


# Shared instances: a national store has a million contacts but only some hundred days.
@cache
def _contact(on: date, established: bool) -> ContactFact:
    return ContactFact(on, "", established)


@cache
def _visit(on: date, met: bool) -> HomeVisitFact:
    return HomeVisitFact(on, met)


IdRange = tuple[int, int]


class _Scope(NamedTuple):
    """Which cases a statement reads; the values go in as bound parameters (_bound)."""

    by_municipality: bool
    by_staff: bool
    by_range: bool


def _bound(
    municipality_ids: Collection[int] | None,
    staff_id: int | None = None,
    id_range: IdRange | None = None,
) -> tuple[_Scope, dict[str, object]]:
    values: dict[str, object] = {}
    if municipality_ids is not None:
        values["municipality_ids"] = list(municipality_ids)
    if staff_id is not None:
        values["staff_id"] = staff_id
    if id_range is not None:
        values["first_id"], values["last_id"] = id_range
    scope = _Scope(municipality_ids is not None, staff_id is not None, id_range is not None)
    return scope, values


def _active(scope: _Scope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [KaaCase.status == "active"]
    if scope.by_municipality:
        conditions.append(
            KaaCase.municipality_id.in_(bindparam("municipality_ids", expanding=True))
        )
    if scope.by_staff:
        conditions.append(KaaCase.assigned_staff_id == bindparam("staff_id"))
    if scope.by_range:
        conditions.append(KaaCase.id.between(bindparam("first_id"), bindparam("last_id")))
    return conditions


def _of_cases(case_id: InstrumentedAttribute[int], scope: _Scope) -> list[ColumnElement[bool]]:
    # The range once more on the child table's own case_id: the join alone would not
    # let the database use that table's case_id index for it.
    if not scope.by_range:
        return []
    return [case_id.between(bindparam("first_id"), bindparam("last_id"))]


async def load_municipalities(
    session: AsyncSession, municipality_ids: Collection[int] | None = None
) -> list[MunicipalityRow]:
    statement = select(Municipality.id, Municipality.code, Municipality.settings).order_by(
        Municipality.id
    )
    if municipality_ids is not None:
        statement = statement.where(Municipality.id.in_(list(municipality_ids)))
    return [MunicipalityRow(*row) for row in await session.execute(statement)]


async def load_staff(
    session: AsyncSession, municipality_ids: Collection[int] | None = None
) -> dict[int, StaffRow]:
    statement = select(
        Staff.id, Staff.aad_object_id, Staff.name, Staff.role, Staff.municipality_id
    ).where(Staff.active)
    if municipality_ids is not None:
        statement = statement.where(Staff.municipality_id.in_(list(municipality_ids)))
    return {row[0]: StaffRow(*row) for row in await session.execute(statement)}


# The statements are built once per scope: building and keying them anew cost more
# than a coordinator's whole read of the store.
@cache
def _facts_statement(scope: _Scope) -> Select[tuple[Any, ...]]:
    established = and_(
        ContactEvent.outcome.in_(codes.ESTABLISHING_OUTCOMES),
        ContactEvent.counterpart.in_(codes.ESTABLISHING_COUNTERPARTS),
    )
    established_on = case((established, ContactEvent.occurred_on))
    met_on = case((HomeVisit.outcome == MET_AT_HOME, HomeVisit.visited_on))
    first_plan = (
        select(func.min(PlanRevision.created_at))
        .where(PlanRevision.case_id == KaaCase.id)
        .scalar_subquery()
    )
    # A subquery rather than a join: grouped by the case's key alone, PostgreSQL
    # aggregates the already ordered merge of cases and contacts without sorting.
    birth_date = select(Youth.birth_date).where(Youth.id == KaaCase.youth_id).scalar_subquery()
    # One row per case: everything but the measures (few, read apart). The contacts and
    # home visits are aggregated in the joins themselves, the contacts from the covering
    # index, rather than in subqueries joined afterwards: half the time on SQLite. A case
    # with several visits repeats its contacts, which min() and max() do not mind.
    # Plain columns through the Core connection: the ORM's result handling costs
    # seconds on a national store and adds nothing here.
    return (
        select(
            KaaCase.id,
            KaaCase.municipality_id,
            KaaCase.assigned_staff_id,
            KaaCase.registered_on,
            birth_date,
            func.min(ContactEvent.occurred_on),
            func.max(ContactEvent.occurred_on),
            func.min(established_on),
            func.max(established_on),
            func.min(HomeVisit.visited_on),
            func.max(HomeVisit.visited_on),
            func.min(met_on),
            func.max(met_on),
            first_plan,
        )
        # Visits first: SQLite joins in the order written, and a case has a visit or two
        # but a dozen contacts to look each visit up for.
        .outerjoin(
            HomeVisit,
            and_(
                HomeVisit.case_id == KaaCase.id,
                HomeVisit.visited_on.is_not(None),
                *_of_cases(HomeVisit.case_id, scope),
            ),
        )
        .outerjoin(
            ContactEvent,
            and_(ContactEvent.case_id == KaaCase.id, *_of_cases(ContactEvent.case_id, scope)),
        )
        .where(*_active(scope))
        .group_by(KaaCase.id)
    )


@cache
def _measures_statement(scope: _Scope) -> Select[tuple[Any, ...]]:
    return (
        select(
            Measure.case_id,
            Measure.id,
            Measure.follow_up_on,
            Measure.evaluate_on,
            Measure.ends_on,
            Measure.end_reason,
            Measure.evaluated_on.is_not(None),
        )
        .join(KaaCase, KaaCase.id == Measure.case_id)
        .where(*_active(scope), *_of_cases(Measure.case_id, scope))
    )


async def load_case_facts(
    session: AsyncSession,
    municipality_ids: Collection[int] | None = None,
    *,
    staff_id: int | None = None,
    id_range: IdRange | None = None,
) -> list[LoadedCase]:
    """Facts of every active case, of the given municipalities or of all (or one staff's).

    ``id_range`` (first and last case id, both included) reads a part of them.
    """
    scope, values = _bound(municipality_ids, staff_id, id_range)
    connection = await session.connection()
    # Rows are fetched in one go (.all()): row by row through the async driver is slow.
    cases = (await connection.execute(_facts_statement(scope), values)).all()
    measures: dict[int, list[tuple[int, date | None, date | None, date | None, str | None, bool]]]
    measures = {}
    for case_id, *measure in (await connection.execute(_measures_statement(scope), values)).all():
        measures.setdefault(case_id, []).append(tuple(measure))  # type: ignore[arg-type]

    loaded = []
    for (
        case_id,
        municipality_id,
        assigned,
        registered_on,
        birth_date,
        first,
        last,
        first_reached,
        last_reached,
        first_visit,
        last_visit,
        first_met,
        last_met,
        first_plan,
    ) in cases:
        case_measures = measures.get(case_id)
        facts = CaseFacts(
            case_id,
            registered_on,
            birth_date,
            True,
            contacts_from_bounds(first, last, first_reached, last_reached)
            if first is not None
            else (),
            visits_from_bounds(first_visit, last_visit, first_met, last_met)
            if first_visit is not None
            else (),
            tuple([_measure(*measure, last_reached) for measure in case_measures])
            if case_measures
            else (),
            _as_date(first_plan),
        )
        loaded.append(LoadedCase(facts, municipality_id, assigned))
    return loaded


async def for_each_part(
    sessionmaker: async_sessionmaker[AsyncSession],
    municipality_ids: Collection[int] | None,
    work: Callable[[Sequence[LoadedCase]], None],
) -> None:
    """Run ``work`` over the facts of every active case, a slice of cases at a time.

    The cases are read in READ_PARTS parts, each on a connection of its own, a few
    parts ahead of ``work``: the database aggregates the contact events of the
    coming parts while Python runs the rules on this one. Between slices of cases
    the event loop gets its turn, which keeps those reads going (and the bot
    answering).
    """
    async with sessionmaker() as session:
        ranges = await _id_ranges(session, municipality_ids, READ_PARTS)

    async def read(id_range: IdRange) -> list[LoadedCase]:
        async with sessionmaker() as session:
            return await load_case_facts(session, municipality_ids, id_range=id_range)

    reading = [asyncio.create_task(read(id_range)) for id_range in ranges[:_READ_AHEAD]]
    try:
        for index in range(len(ranges)):
            cases = await reading[index]
            if index + _READ_AHEAD < len(ranges):
                reading.append(asyncio.create_task(read(ranges[index + _READ_AHEAD])))
            for start in range(0, len(cases), _SLICE):
                work(cases[start : start + _SLICE])
                await asyncio.sleep(0)
    finally:
        for task in reading:
            task.cancel()


async def _id_ranges(
    session: AsyncSession, municipality_ids: Collection[int] | None, parts: int
) -> list[IdRange]:
    """First and last id of ``parts`` runs of active cases of about equal size."""
    scope, values = _bound(municipality_ids)
    tiles = (
        select(KaaCase.id, func.ntile(parts).over(order_by=KaaCase.id).label("tile"))
        .where(*_active(scope))
        .subquery()
    )
    rows = await session.execute(
        select(func.min(tiles.c.id), func.max(tiles.c.id))
        .group_by(tiles.c.tile)
        .order_by(tiles.c.tile),
        values,
    )
    return [(first, last) for first, last in rows]


def _measure(
    measure_id: int,
    follow_up_on: date | None,
    evaluate_on: date | None,
    ends_on: date | None,
    end_reason: str | None,
    evaluated: bool,
    last_reached: date | None,
) -> MeasureFact:
    # A measure's follow-up is a talk with the youth: an established contact on or
    # after the planned follow-up day documents it.
    followed_up = (
        follow_up_on is not None and last_reached is not None and last_reached >= follow_up_on
    )
    return MeasureFact(
        measure_id, follow_up_on, evaluate_on, ends_on, end_reason, followed_up, bool(evaluated)
    )


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns min() of a timestamp as text
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


def _labelled() -> Select[tuple[int, str, str, str]]:
    return select(KaaCase.id, Youth.personnummer, Youth.first_name, Youth.last_name).join(
        Youth, Youth.id == KaaCase.youth_id
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
    scope, values = _bound([municipality_id], staff_id)
    connection = await session.connection()
    rows = await connection.execute(_staff_labels_statement(scope), values)
    return _by_case(rows.all())


@cache
def _staff_labels_statement(scope: _Scope) -> Select[tuple[int, str, str, str]]:
    return _labelled().where(*_active(scope))


def _by_case(rows: Sequence[Row[tuple[int, str, str, str]]]) -> dict[int, CaseLabel]:
    # Plain rows through the Core connection, as for the facts: the ORM's result
    # handling costs more than the reading here.
    return {
        case_id: CaseLabel(personnummer, first, last) for case_id, personnummer, first, last in rows
    }
