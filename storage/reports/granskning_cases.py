"""The cases granskning grades, read from the case store: the active ones, or every case in
KAA at some time during a period — ongoing and closed, as auditors sample them.

Every case graded is a case read, so each one gets an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from storage import codes
from storage.audit import Actor, record_reads
from storage.models import KaaCase, Youth
from storage.reports.granskning import (
    CaseGrade,
    ClosingItem,
    ContactItem,
    GradingCase,
    MeasureItem,
    PlanItem,
    grade_case,
)
from storage.reports.period import Period
from storage.routine import RoutineSettings
from storage.sessions import SessionSource, transaction


def grading_case(case: KaaCase) -> GradingCase:
    """A loaded case (contacts, home visits, plans, measures and occupations loaded) as
    grading input."""
    contacts = [
        ContactItem(
            on=event.occurred_on,
            established=event.outcome in codes.ESTABLISHING_OUTCOMES
            and event.counterpart in codes.ESTABLISHING_COUNTERPARTS,
            home_visit=event.channel == "hembesok",
            guardian=event.counterpart == codes.GUARDIAN,
        )
        for event in case.contacts
    ]
    contacts += [
        ContactItem(
            on=visit.visited_on,
            established=visit.outcome in codes.ESTABLISHING_HOME_VISIT_OUTCOMES,
            home_visit=True,
        )
        for visit in case.home_visits
        if visit.visited_on is not None
    ]
    latest = case.plan_revisions[-1] if case.plan_revisions else None
    plan = (
        PlanItem(latest.goals, latest.needs, latest.expectations, latest.follow_up_on)
        if latest
        else None
    )
    measures = tuple(
        MeasureItem(
            measure_type=m.measure_type,
            description=m.description,
            youth_responsibility=m.youth_responsibility,
            municipality_responsibility=m.municipality_responsibility,
            other_actor=m.other_actor,
            other_actor_responsibility=m.other_actor_responsibility,
            starts_on=m.starts_on,
            ends_on=m.ends_on,
            follow_up_on=m.follow_up_on,
            evaluate_on=m.evaluate_on,
            declined=m.declined,
            ended_on=m.ended_on,
            end_reason=m.end_reason,
            evaluated_on=m.evaluated_on,
            evaluation_outcome=m.evaluation_outcome,
            evaluation_effect=m.evaluation_effect,
        )
        for m in case.measures
        # A measure called off before it started never happened; there is nothing to grade.
        if not m.cancelled
    )
    closing = None
    if case.deregistered_on is not None:
        in_force = [o for o in case.occupations if o.valid_from <= case.deregistered_on]
        closing = ClosingItem(
            case.deregistered_on,
            case.deregistration_reason,
            in_force[-1].kind if in_force else None,
        )
    return GradingCase(
        case.id,
        case.registered_on,
        tuple(contacts),
        plan,
        measures,
        case.youth.birth_date,
        closing,
    )


@dataclass(frozen=True)
class GradedCase:
    """A grade with what is needed to show it to staff (never written to logs)."""

    grade: CaseGrade
    youth_name: str
    assigned_staff_id: int | None
    closed_on: date | None = None


async def load_grades(
    sessionmaker: SessionSource,
    actor: Actor,
    routine: RoutineSettings,
    today: date,
    *,
    staff_id: int | None = None,
    period: Period | None = None,
) -> list[GradedCase]:
    """Grades of the cases in the actor's municipality (only ``staff_id``'s if given): the
    active ones, or with ``period`` every case in KAA at some time during it.

    A case is graded as it stood on ``today``, at the period's end if that came first, or
    on the day it was closed.
    """
    conditions = [KaaCase.municipality_id == actor.municipality_id]
    if period is None:
        conditions.append(KaaCase.status == "active")
    else:
        conditions += [
            KaaCase.registered_on <= period.end,
            or_(KaaCase.deregistered_on.is_(None), KaaCase.deregistered_on >= period.start),
        ]
    if staff_id is not None:
        conditions.append(KaaCase.assigned_staff_id == staff_id)
    until = today if period is None else min(today, period.end)
    async with transaction(sessionmaker) as session:
        statement = (
            select(KaaCase)
            .where(*conditions)
            .options(
                selectinload(KaaCase.youth).load_only(
                    Youth.first_name, Youth.last_name, Youth.birth_date
                ),
                selectinload(KaaCase.contacts),
                selectinload(KaaCase.home_visits),
                selectinload(KaaCase.plan_revisions),
                selectinload(KaaCase.measures),
                selectinload(KaaCase.occupations),
            )
            .order_by(KaaCase.id)
        )
        cases = list(await session.scalars(statement))
        detail = None if period is None else period.code
        await record_reads(
            session, actor, "report.granskning", [case.id for case in cases], detail=detail
        )
        return [
            GradedCase(
                grade_case(grading_case(case), routine, _as_of(case, until)),
                f"{case.youth.first_name} {case.youth.last_name}",
                case.assigned_staff_id,
                case.deregistered_on,
            )
            for case in cases
        ]


def _as_of(case: KaaCase, until: date) -> date:
    closed = case.deregistered_on
    return min(closed, until) if closed is not None else until
