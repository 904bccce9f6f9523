"""Home visits in the case API: planned ahead, documented when made, or both at once."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from storage import codes, date_rules
from storage.audit import Actor, record
from storage.case_base import CaseServiceBase, note_text, require_code
from storage.case_errors import NotFound
from storage.case_inputs import HomeVisitInput
from storage.models import HomeVisit, Staff


class HomeVisits(CaseServiceBase):
    @staticmethod
    async def _colleague(session: AsyncSession, actor: Actor, staff_id: int | None) -> None:
        if staff_id is None:
            return
        staff = await session.get(Staff, staff_id)
        if staff is None or staff.municipality_id != actor.municipality_id:
            raise NotFound("Hittar ingen sådan kollega i din kommun.")

    async def plan_home_visit(
        self, actor: Actor, case_id: int, data: HomeVisitInput, *, today: date
    ) -> int:
        date_rules.home_visit_plan(data.planned_on, data.notice_sent_on, today)
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            await self._colleague(session, actor, data.second_staff_id)
            visit = HomeVisit(
                case_id=case.id,
                planned_on=data.planned_on,
                first_staff_id=data.first_staff_id,
                second_staff_id=data.second_staff_id,
                notice_sent_on=data.notice_sent_on,
            )
            session.add(visit)
            await session.flush()
            record(
                session, actor, "home_visit.plan", case_id=case.id, detail=f"hembesök {visit.id}"
            )
            return visit.id

    async def record_home_visit_notice(self, actor: Actor, visit_id: int, sent_on: date) -> bool:
        """The notice of a planned visit is sent (a letter was written); False if it already was."""
        async with self._transaction() as session:
            visit = await session.get(HomeVisit, visit_id)
            if visit is None:
                raise NotFound(f"Hittar inget hembesök med nummer {visit_id}.")
            await self._case(session, actor, visit.case_id)
            if visit.notice_sent_on is not None:
                return False
            await self._writable_case(session, actor, visit.case_id, None)
            # Read again under the case's lock: another instance may have just set it.
            await session.refresh(visit)
            if visit.notice_sent_on is not None:
                return False
            visit.notice_sent_on = sent_on
            record(
                session,
                actor,
                "home_visit.notice",
                case_id=visit.case_id,
                detail=f"hembesök {visit.id}",
            )
            return True

    async def record_home_visit(
        self,
        actor: Actor,
        visit_id: int,
        visited_on: date,
        outcome: str,
        note: str | None = None,
        *,
        today: date,
    ) -> None:
        require_code(codes.HOME_VISIT_OUTCOMES, outcome, "utfall")
        async with self._transaction() as session:
            visit = await session.get(HomeVisit, visit_id)
            if visit is None:
                raise NotFound(f"Hittar inget hembesök med nummer {visit_id}.")
            case = await self._writable_case(session, actor, visit.case_id, None)
            date_rules.home_visit_made(visited_on, case.registered_on, today)
            visit.visited_on = visited_on
            visit.outcome = outcome
            visit.note = note_text(note)
            record(
                session,
                actor,
                "home_visit.record",
                case_id=visit.case_id,
                detail=f"hembesök {visit.id}",
            )

    async def log_home_visit(
        self,
        actor: Actor,
        case_id: int,
        data: HomeVisitInput,
        outcome: str,
        note: str | None = None,
        *,
        today: date,
    ) -> int:
        """A home visit that was made without being planned here: planned and done that day."""
        require_code(codes.HOME_VISIT_OUTCOMES, outcome, "utfall")
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            date_rules.home_visit_made(data.planned_on, case.registered_on, today)
            await self._colleague(session, actor, data.second_staff_id)
            visit = HomeVisit(
                case_id=case.id,
                planned_on=data.planned_on,
                first_staff_id=data.first_staff_id,
                second_staff_id=data.second_staff_id,
                notice_sent_on=data.notice_sent_on,
                visited_on=data.planned_on,
                outcome=outcome,
                note=note_text(note),
            )
            session.add(visit)
            await session.flush()
            record(
                session, actor, "home_visit.record", case_id=case.id, detail=f"hembesök {visit.id}"
            )
            return visit.id
