"""Measures (insatser) in the case API: documented, ended, evaluated or cancelled, each change
kept as a revision (Skolverket asks for the documentation as it was after every change)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from storage import codes, date_rules
from storage.audit import Actor, record
from storage.case_base import CaseServiceBase, require_code
from storage.case_errors import CaseError, NotFound
from storage.case_inputs import MeasureInput
from storage.models import Measure, MeasureRevision, Municipality

DECLINED_END_REASON = "Ungdomen tackade nej till insatsen."


def measure_snapshot(measure: Measure) -> dict[str, object]:
    columns = Measure.__table__.columns.keys()
    return {
        name: (value.isoformat() if isinstance(value, date) else value)
        for name, value in ((name, getattr(measure, name)) for name in columns)
        if name not in {"id", "case_id", "created_at", "revision"}
    }


def measure_dates(measure: Measure | MeasureInput) -> dict[str, date | None]:
    return {key: getattr(measure, key) for key in date_rules.MEASURE_DATES}


class MeasureActions(CaseServiceBase):
    async def add_measure(
        self, actor: Actor, case_id: int, data: MeasureInput, *, today: date
    ) -> int:
        """Document a measure; one the youth declined is ended on the day it was offered."""
        async with self._transaction() as session:
            municipality = await session.get(Municipality, actor.municipality_id)
            types = codes.measure_types(municipality.settings if municipality else None)
            require_code(types, data.measure_type, "insatstyp")
            case = await self._writable_case(session, actor, case_id, None)
            date_rules.measure(
                measure_dates(data),
                declined=data.declined,
                registered_on=case.registered_on,
                today=today,
            )
            measure = Measure(case_id=case.id, **asdict(data))
            if data.declined:
                measure.ended_on = data.starts_on
                measure.end_reason = DECLINED_END_REASON
            session.add(measure)
            await session.flush()
            self._add_revision(session, actor, measure)
            record(session, actor, "measure.add", case_id=case.id, detail=f"insats {measure.id}")
            return measure.id

    @staticmethod
    def _add_revision(session: AsyncSession, actor: Actor, measure: Measure) -> None:
        session.add(
            MeasureRevision(
                measure_id=measure.id,
                revision=measure.revision,
                snapshot=measure_snapshot(measure),
                staff_id=actor.staff_id,
            )
        )

    async def _change_measure(
        self, actor: Actor, measure_id: int, action: str, change: Callable[[Measure], None]
    ) -> None:
        """Change a measure in its case, as a new revision, with the audit entry `action`."""
        async with self._transaction() as session:
            measure = await session.get(Measure, measure_id)
            if measure is None:
                raise NotFound(f"Hittar ingen insats med nummer {measure_id}.")
            await self._writable_case(session, actor, measure.case_id, None)
            change(measure)
            self._add_revision(session, actor, measure)
            record(session, actor, action, case_id=measure.case_id, detail=f"insats {measure.id}")

    async def end_measure(
        self, actor: Actor, measure_id: int, ended_on: date, reason: str, *, today: date
    ) -> None:
        if not reason.strip():
            raise CaseError("En avslutad insats behöver en avslutsorsak.")
        await self._change_measure(
            actor, measure_id, "measure.end", lambda m: self._end(m, ended_on, reason, today)
        )

    async def cancel_measure(
        self, actor: Actor, measure_id: int, reason: str, *, today: date
    ) -> None:
        """Call off a measure that has not started: it ends today, marked as cancelled."""
        if not reason.strip():
            raise CaseError("Skriv varför insatsen avbryts.")
        await self._change_measure(
            actor, measure_id, "measure.cancel", lambda m: self._cancel(m, today, reason, today)
        )

    @staticmethod
    def _end(measure: Measure, ended_on: date, reason: str, today: date) -> None:
        if measure.ended_on is not None:
            raise CaseError("Insatsen är redan avslutad.")
        date_rules.measure_end(ended_on, measure.starts_on, today)
        measure.ended_on = ended_on
        measure.end_reason = reason.strip()
        measure.revision += 1

    @staticmethod
    def _cancel(measure: Measure, cancelled_on: date, reason: str, today: date) -> None:
        if measure.ended_on is not None:
            raise CaseError("Insatsen är redan avslutad.")
        date_rules.measure_cancel(measure.starts_on, cancelled_on)
        date_rules.happened(cancelled_on, today, "Dagen insatsen avbryts")
        measure.ended_on = cancelled_on
        measure.end_reason = reason.strip()
        measure.cancelled = True
        measure.revision += 1

    async def evaluate_measure(
        self,
        actor: Actor,
        measure_id: int,
        evaluated_on: date,
        outcome: str,
        effect: str,
        *,
        today: date,
    ) -> None:
        if not outcome.strip() or not effect.strip():
            raise CaseError("Utvärderingen behöver både resultat och effekt.")

        def evaluate(measure: Measure) -> None:
            if measure.cancelled:
                raise CaseError(
                    "Insatsen avbröts innan den började – det finns inget att utvärdera."
                )
            date_rules.evaluation(evaluated_on, measure.starts_on, today)
            measure.evaluated_on = evaluated_on
            measure.evaluation_outcome = outcome.strip()
            measure.evaluation_effect = effect.strip()
            measure.revision += 1

        await self._change_measure(actor, measure_id, "measure.evaluate", evaluate)
