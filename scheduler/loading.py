"""Case facts for the reminder rules, read from the case store with a few set-based queries.

One query per table for all active cases at once, never one per case: the
national store has 60 000 youths and a million contact events. Contacts are
aggregated in the database to the four that the rules look at — the first and
the last attempt, the first and the last established contact — which gives the
rules exactly the answers the full history would
(tests/unit/test_reminder_loading.py checks this against full histories).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

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
MET_AT_HOME = "traffad"


@dataclass(frozen=True)
class LoadedCase:
    facts: CaseFacts
    municipality_id: int
    assigned_staff_id: int | None


@dataclass(frozen=True)
class CaseLabel:
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
    contacts = [_contact(first, False)]
    if last != first:
        contacts.append(_contact(last, False))
    if first_reached is not None and last_reached is not None:
        contacts.append(_contact(first_reached, True))
        if last_reached != first_reached:
            contacts.append(_contact(last_reached, True))
    return tuple(contacts)


@cache
def _contact(on: date, established: bool) -> ContactFact:
    # Shared instances: a national store has a million contacts but only some hundred days.
    return ContactFact(on, "", established)


def _active(municipality_ids: Collection[int] | None, staff_id: int | None = None) -> list[object]:
    conditions: list[object] = [KaaCase.status == "active"]
    if municipality_ids is not None:
        conditions.append(KaaCase.municipality_id.in_(list(municipality_ids)))
    if staff_id is not None:
        conditions.append(KaaCase.assigned_staff_id == staff_id)
    return conditions


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


async def load_case_facts(
    session: AsyncSession,
    municipality_ids: Collection[int] | None = None,
    *,
    staff_id: int | None = None,
) -> list[LoadedCase]:
    """Facts of every active case, of the given municipalities or of all (or one staff's)."""
    active = _active(municipality_ids, staff_id)
    # Plain columns through the Core connection: the ORM's result handling costs
    # seconds on a national store and adds nothing here.
    connection = await session.connection()
    cases = await connection.execute(
        select(
            KaaCase.id,
            KaaCase.municipality_id,
            KaaCase.registered_on,
            KaaCase.assigned_staff_id,
            Youth.birth_date,
        )
        .join(Youth, Youth.id == KaaCase.youth_id)
        .where(*active)
    )
    # Rows are fetched in one go (.all()): row by row through the async driver is slow.
    cases = cases.all()

    established = and_(
        ContactEvent.outcome.in_(codes.ESTABLISHING_OUTCOMES),
        ContactEvent.counterpart.in_(codes.ESTABLISHING_COUNTERPARTS),
    )
    established_on = case((established, ContactEvent.occurred_on))
    contact_rows = await connection.execute(
        select(
            ContactEvent.case_id,
            func.min(ContactEvent.occurred_on),
            func.max(ContactEvent.occurred_on),
            func.min(established_on),
            func.max(established_on),
        )
        .join(KaaCase, KaaCase.id == ContactEvent.case_id)
        .where(*active)
        .group_by(ContactEvent.case_id)
    )
    contacts: dict[int, tuple[ContactFact, ...]] = {}
    last_reached_on: dict[int, date] = {}
    for case_id, first, last, first_reached, last_reached in contact_rows.all():
        contacts[case_id] = contacts_from_bounds(first, last, first_reached, last_reached)
        if last_reached is not None:
            last_reached_on[case_id] = last_reached

    visits: dict[int, list[HomeVisitFact]] = {}
    visit_rows = await connection.execute(
        select(HomeVisit.case_id, HomeVisit.visited_on, HomeVisit.outcome)
        .join(KaaCase, KaaCase.id == HomeVisit.case_id)
        .where(*active, HomeVisit.visited_on.is_not(None))
    )
    for case_id, visited_on, outcome in visit_rows.all():
        visits.setdefault(case_id, []).append(HomeVisitFact(visited_on, outcome == MET_AT_HOME))

    measures: dict[int, list[tuple[int, date | None, date | None, date | None, str | None, bool]]]
    measures = {}
    measure_rows = await connection.execute(
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
        .where(*active)
    )
    for case_id, *measure in measure_rows.all():
        measures.setdefault(case_id, []).append(tuple(measure))  # type: ignore[arg-type]

    plans = dict(
        (
            await connection.execute(
                select(PlanRevision.case_id, func.min(PlanRevision.created_at))
                .join(KaaCase, KaaCase.id == PlanRevision.case_id)
                .where(*active)
                .group_by(PlanRevision.case_id)
            )
        ).all()
    )

    loaded = []
    for case_id, municipality_id, registered_on, staff_id, birth_date in cases:
        case_measures = measures.get(case_id)
        last_reached = last_reached_on.get(case_id)
        facts = CaseFacts(
            case_id=case_id,
            registered_on=registered_on,
            birth_date=birth_date,
            contacts=contacts.get(case_id, ()),
            home_visits=tuple(visits[case_id]) if case_id in visits else (),
            measures=tuple(_measure(*measure, last_reached) for measure in case_measures)
            if case_measures
            else (),
            first_plan_on=_as_date(plans.get(case_id)),
        )
        loaded.append(LoadedCase(facts, municipality_id, staff_id))
    return loaded


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
        measure_id=measure_id,
        follow_up_on=follow_up_on,
        evaluate_on=evaluate_on,
        ends_on=ends_on,
        end_reason=end_reason,
        followed_up=followed_up,
        evaluated=bool(evaluated),
    )


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite returns min() of a timestamp as text
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


async def load_case_labels(
    session: AsyncSession, case_ids: Collection[int]
) -> dict[int, CaseLabel]:
    """Personnummer and names of these cases, for the digest sent to the assigned staff."""
    labels: dict[int, CaseLabel] = {}
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), _CHUNK):
        rows = await session.execute(
            select(KaaCase.id, Youth.personnummer, Youth.first_name, Youth.last_name)
            .join(Youth, Youth.id == KaaCase.youth_id)
            .where(KaaCase.id.in_(ids[start : start + _CHUNK]))
        )
        for case_id, personnummer, first_name, last_name in rows:
            labels[case_id] = CaseLabel(personnummer, first_name, last_name)
    return labels
