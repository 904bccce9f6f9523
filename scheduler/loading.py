"""Case facts for the reminder rules, read from the case store with a few set-based queries.

Never one query per case: the national store has 60 000 youths and a million
contact events. One statement gives a row per active case with its contacts and
home visits summarised in the database to the days the rules look at (a
ContactHistory: the first and the last attempt, the first and the last
established contact, ...); tests/integration/test_reminder_plan.py checks the
loaded facts and a whole day's plan against every row. Measures, which few cases
have, are read apart. The daily job reads in parts (for_each_part) so the
database and Python work at the same time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import islice
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute

from scheduler.facts import NO_CONTACT, CaseFacts, ContactHistory, MeasureFact
from scheduler.rules import ReminderState
from storage import codes
from storage.json_rows import (
    Days,
    JsonRows,
    as_json_rows,
    fetch_json_document,
    parse_json_rows,
)
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
from storage.reminders import ReminderStore

# How a national run reads its cases (see for_each_part), tuned on the benchmark's
# 60 000 cases: parts small enough that the database works on the next ones while
# Python works on this one, and few enough that each part's queries stay cheap;
# a slice of cases between turns of the event loop short enough that the reads
# waiting for their turn are not held up.
READ_PARTS = 8
_READ_AHEAD = 3
_SLICE = 200
MET_AT_HOME = "traffad"


class LoadedCase(NamedTuple):
    facts: CaseFacts
    municipality_id: int
    assigned_staff_id: int | None


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


IdRange = tuple[int, int]


class Scope(NamedTuple):
    """Which cases a statement reads; the values go in as bound parameters (bound)."""

    by_municipality: bool
    by_staff: bool
    by_range: bool


def bound(
    municipality_ids: Collection[int] | None,
    staff_id: int | None = None,
    id_range: IdRange | None = None,
) -> tuple[Scope, dict[str, object]]:
    values: dict[str, object] = {}
    if municipality_ids is not None:
        values["municipality_ids"] = list(municipality_ids)
    if staff_id is not None:
        values["staff_id"] = staff_id
    if id_range is not None:
        values["first_id"], values["last_id"] = id_range
    scope = Scope(municipality_ids is not None, staff_id is not None, id_range is not None)
    return scope, values


def active(scope: Scope) -> list[ColumnElement[bool]]:
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


def _of_cases(case_id: InstrumentedAttribute[int], scope: Scope) -> list[ColumnElement[bool]]:
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


async def load_reminder_states(
    sessionmaker: async_sessionmaker[AsyncSession], municipality_ids: Collection[int]
) -> dict[int, dict[str, ReminderState]]:
    """Per municipality (each one given, perhaps without any), the reminders marked done or
    snoozed, by key, as the rules take them."""
    stored = await ReminderStore(sessionmaker).states(municipality_ids)
    return {
        m: {
            key: ReminderState(done=state.done, snoozed_until=state.snoozed_until)
            for key, state in stored.get(m, {}).items()
        }
        for m in municipality_ids
    }


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
def _facts_statement(scope: Scope) -> JsonRows:
    # The codes written into the SQL rather than bound: each use of a bound value is a
    # parameter of its own, so the database would no longer see that min(...) in one
    # column is the same aggregate as in another and would compute each apart.
    established = and_(
        ContactEvent.outcome.in_(_written(sorted(codes.ESTABLISHING_OUTCOMES))),
        ContactEvent.counterpart.in_(_written(sorted(codes.ESTABLISHING_COUNTERPARTS))),
    )
    established_on = case((established, ContactEvent.occurred_on))
    met_on = case((HomeVisit.outcome == _written(MET_AT_HOME), HomeVisit.visited_on))
    has_plan = exists().where(PlanRevision.case_id == KaaCase.id)
    # A subquery rather than a join: grouped by the case's key alone, PostgreSQL
    # aggregates the already ordered merge of cases and contacts without sorting.
    birth_date = select(Youth.birth_date).where(Youth.id == KaaCase.youth_id).scalar_subquery()
    # One row per case: everything but the measures (few, read apart). The contacts and
    # home visits are aggregated in the joins themselves, the contacts from the covering
    # index, rather than in subqueries joined afterwards: half the time on SQLite. A case
    # with several visits repeats its contacts, which min() and max() do not mind.
    # The rows come as one JSON document (storage/json_rows.py), so the database
    # aggregates a part's cases while Python runs the rules on the part before.
    first_contact, last_contact = (
        func.min(ContactEvent.occurred_on),
        func.max(ContactEvent.occurred_on),
    )
    first_visit, last_visit = func.min(HomeVisit.visited_on), func.max(HomeVisit.visited_on)
    last_established = func.max(established_on)
    return as_json_rows(
        select(
            KaaCase.id,
            KaaCase.municipality_id,
            KaaCase.assigned_staff_id,
            KaaCase.registered_on,
            birth_date,
            # ContactHistory's days, in its order:
            _earlier(first_contact, first_visit),
            _later(last_contact, last_visit),
            _earlier(func.min(established_on), func.min(met_on)),
            _later(last_established, func.max(met_on)),
            last_contact,
            last_visit,
            last_established,
            has_plan,
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
        .where(*active(scope))
        .group_by(KaaCase.id)
    )


def _written(value: object) -> BindParameter[Any]:
    return bindparam(None, value, expanding=isinstance(value, list), literal_execute=True)


def _earlier(a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
    """The earlier of two days where either may be missing (SQL's least() is not portable)."""
    return case((b.is_(None), a), (a.is_(None), b), (a <= b, a), else_=b)


def _later(a: ColumnElement[Any], b: ColumnElement[Any]) -> ColumnElement[Any]:
    return case((b.is_(None), a), (a.is_(None), b), (a >= b, a), else_=b)


@cache
def _measures_statement(scope: Scope) -> JsonRows:
    return as_json_rows(
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
        # A cancelled measure never started: nothing to follow up, evaluate or end.
        .where(*active(scope), *_of_cases(Measure.case_id, scope), Measure.cancelled.is_(False))
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
    connection = await session.connection()
    part = await _read_part(connection, municipality_ids, staff_id, id_range)
    return list(part.facts())


@dataclass(frozen=True)
class _Part:
    """The JSON documents of some cases and of their measures, parsed only when used."""

    cases: str
    case_width: int
    measures: str
    measure_width: int

    def facts(self) -> Iterator[LoadedCase]:
        """Each case's facts, built as they are taken: the rules keep none of them."""
        day = Days()
        measures: dict[
            int, list[tuple[int, date | None, date | None, date | None, str | None, bool]]
        ]
        measures = {}
        for (
            case_id,
            measure_id,
            follow_up_on,
            evaluate_on,
            ends_on,
            end_reason,
            evaluated,
        ) in parse_json_rows(self.measures, self.measure_width):
            measures.setdefault(case_id, []).append(
                (
                    measure_id,
                    day[follow_up_on],
                    day[evaluate_on],
                    day[ends_on],
                    end_reason,
                    bool(evaluated),
                )
            )
        for (
            case_id,
            municipality_id,
            assigned,
            registered_on,
            birth_date,
            first_attempt,
            last_attempt,
            first_reached,
            last_reached,
            last_contact,
            last_visit,
            last_established,
            has_plan,
        ) in parse_json_rows(self.cases, self.case_width):
            case_measures = measures.get(case_id)
            facts = CaseFacts(
                case_id,
                day[registered_on],
                day[birth_date],
                True,
                ContactHistory(
                    day[first_attempt],
                    day[last_attempt],
                    day[first_reached],
                    day[last_reached],
                    day[last_contact],
                    day[last_visit],
                )
                if first_attempt is not None
                else NO_CONTACT,
                tuple([_measure(*measure, day[last_established]) for measure in case_measures])
                if case_measures
                else (),
                bool(has_plan),
            )
            yield LoadedCase(facts, municipality_id, assigned)


async def _read_part(
    connection: AsyncConnection,
    municipality_ids: Collection[int] | None,
    staff_id: int | None,
    id_range: IdRange | None,
) -> _Part:
    scope, values = bound(municipality_ids, staff_id, id_range)
    facts, measures = _facts_statement(scope), _measures_statement(scope)
    return _Part(
        await fetch_json_document(connection, facts, values),
        facts.width,
        await fetch_json_document(connection, measures, values),
        measures.width,
    )


async def for_each_part(
    sessionmaker: async_sessionmaker[AsyncSession],
    municipality_ids: Collection[int] | None,
    work: Callable[[Sequence[LoadedCase]], None],
) -> None:
    """Run ``work`` over the facts of every active case, a slice of cases at a time.

    The cases are read in READ_PARTS parts, each on a connection of its own, a few
    parts ahead of ``work``: the database aggregates the contact events of the
    coming parts while Python runs the rules on this one. A part read ahead waits as
    its JSON text, and its facts are built a slice at a time: few objects live at once,
    so Python's cycle collector has little to scan while the bot serves chat turns
    meanwhile. Between slices the event loop gets its turn, which keeps the reads going
    (and the bot answering).
    """
    async with sessionmaker() as session:
        ranges = await _id_ranges(session, municipality_ids, READ_PARTS)

    async def read(id_range: IdRange) -> _Part:
        async with sessionmaker() as session:
            connection = await session.connection()
            return await _read_part(connection, municipality_ids, None, id_range)

    reading = [asyncio.create_task(read(id_range)) for id_range in ranges[:_READ_AHEAD]]
    try:
        for index in range(len(ranges)):
            part = await reading[index]
            if index + _READ_AHEAD < len(ranges):
                reading.append(asyncio.create_task(read(ranges[index + _READ_AHEAD])))
            facts = part.facts()
            while cases := list(islice(facts, _SLICE)):
                work(cases)
                await asyncio.sleep(0)
    finally:
        for task in reading:
            task.cancel()


async def _id_ranges(
    session: AsyncSession, municipality_ids: Collection[int] | None, parts: int
) -> list[IdRange]:
    """First and last id of ``parts`` runs of active cases of about equal size."""
    scope, values = bound(municipality_ids)
    tiles = (
        select(KaaCase.id, func.ntile(parts).over(order_by=KaaCase.id).label("tile"))
        .where(*active(scope))
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
    last_established: date | None,
) -> MeasureFact:
    # A measure's follow-up is a talk with the youth: an established contact (a home
    # visit does not count) on or after the planned follow-up day documents it.
    followed_up = (
        follow_up_on is not None
        and last_established is not None
        and last_established >= follow_up_on
    )
    return MeasureFact(
        measure_id, follow_up_on, evaluate_on, ends_on, end_reason, followed_up, bool(evaluated)
    )
