"""Putting saved data right: a contact, an occupation, a plan's follow-up, a home visit or a
measure, each corrected field kept with the value it had (`storage.history`; the youth's own
details are in `storage.youth_corrections`); and removing an entry made by mistake, kept with
its reason (`RemovedEntry`).

The same rules as when the data was first written apply to the record as it would be after
the change; a date rule is checked only when the date itself changes, so correcting a note
never trips over a follow-up day that has passed since.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import String, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import codes, date_rules
from storage.audit import Actor, record
from storage.case_base import MAX_NOTE, require_code
from storage.case_errors import CaseError, NotFound
from storage.case_measures import MeasureActions, measure_dates
from storage.history import FIELD_NAMES, Record, apply_changes, stored_text, write_history
from storage.models import (
    ContactEvent,
    HomeVisit,
    KaaCase,
    Measure,
    MeasureRevision,
    Occupation,
    PlanRevision,
    RemovedEntry,
)
from storage.youth_corrections import YouthCorrections

MAX_REASON = 2000


# The records a correction or a removal finds by id, with the Swedish word for one.
_MODELS: dict[Record, tuple[type[Any], str]] = {
    Record.CONTACT: (ContactEvent, "kontakt"),
    Record.OCCUPATION: (Occupation, "sysselsättning"),
    Record.HOME_VISIT: (HomeVisit, "hembesök"),
    Record.MEASURE: (Measure, "insats"),
}
CORRECTABLE: dict[Record, tuple[str, ...]] = {
    Record.CONTACT: ("occurred_on", "channel", "counterpart", "outcome", "note"),
    Record.OCCUPATION: ("kind", "extent_percent", "valid_from", "note"),
    Record.HOME_VISIT: ("planned_on", "notice_sent_on", "visited_on", "outcome", "note"),
    Record.MEASURE: (
        "description", "goal", "youth_responsibility", "municipality_responsibility",
        "other_actor", "other_actor_responsibility", *date_rules.MEASURE_DATES,
    ),
}  # fmt: skip
_CODED: dict[Record, dict[str, tuple[dict[str, str], str]]] = {
    Record.CONTACT: {
        "channel": (codes.CONTACT_CHANNELS, "kanal"),
        "counterpart": (codes.COUNTERPARTS, "motpart"),
        "outcome": (codes.CONTACT_OUTCOMES, "utfall"),
    },
    Record.OCCUPATION: {"kind": (codes.OCCUPATIONS, "sysselsättning")},
    Record.HOME_VISIT: {"outcome": (codes.HOME_VISIT_OUTCOMES, "utfall")},
}


def _snapshot(row: Any) -> dict[str, object]:
    return {
        name: stored_text(value) if isinstance(value, date) else value
        for name, value in ((c, getattr(row, c)) for c in row.__table__.columns.keys())
        if name != "created_at"
    }


def _tidy_text(column: Any, value: object) -> str | None:
    """Free text as stored: trimmed, None when empty, within the column's length (a note's
    within MAX_NOTE)."""
    text = str(value or "").strip()
    limit = column.type.length or MAX_NOTE
    if len(text) > limit:
        raise CaseError(f"Texten är för lång – högst {limit} tecken.")
    return text or None


class Corrections(YouthCorrections, MeasureActions):
    async def change_plan_follow_up(
        self, actor: Actor, case_id: int, follow_up_on: date, *, today: date
    ) -> int:
        """A new revision of the current plan with another follow-up day; returns it."""
        date_rules.plan_follow_up(follow_up_on, today)
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            current = await session.scalar(
                select(PlanRevision)
                .where(PlanRevision.case_id == case.id)
                .order_by(PlanRevision.revision.desc())
                .limit(1)
            )
            if current is None:
                raise CaseError("Ungdomen har ingen plan än – skriv **kartläggning** först.")
            revised = PlanRevision(
                case_id=case.id,
                revision=current.revision + 1,
                goals=current.goals,
                needs=current.needs,
                expectations=current.expectations,
                follow_up_on=follow_up_on,
                staff_id=actor.staff_id,
            )
            session.add(revised)
            await session.flush()
            write_history(
                session,
                actor,
                case,
                Record.PLAN,
                revised.id,
                {"follow_up_on": (current.follow_up_on, follow_up_on)},
            )
            return revised.revision

    async def _record(
        self, session: AsyncSession, actor: Actor, kind: Record, record_id: int
    ) -> tuple[Any, KaaCase]:
        if kind not in _MODELS:
            raise CaseError("Den uppgiften går inte att ändra här.")
        model, word = _MODELS[kind]
        row = await session.get(model, record_id)
        if row is None:
            raise NotFound(f"Hittar ingen {word} med nummer {record_id}.")
        case = await self._writable_case(session, actor, row.case_id, None)
        return row, case

    async def correct_record(
        self,
        actor: Actor,
        kind: Record,
        record_id: int,
        changes: dict[str, Any],
        *,
        today: date,
        confirmed: bool = False,
    ) -> list[str]:
        """Correct fields of a contact, occupation, home visit or measure; returns the
        fields that changed. A measure gets a new revision for every correction."""
        unknown = set(changes) - set(CORRECTABLE.get(kind, ()))
        if unknown:
            raise CaseError("Det går inte att ändra " + ", ".join(sorted(unknown)) + " här.")
        async with self._transaction() as session:
            row, case = await self._record(session, actor, kind, record_id)
            values = self._checked(kind, row, case, changes, today, confirmed)
            changed = apply_changes(row, values)
            if not changed:
                return []
            if kind == Record.MEASURE:
                row.revision += 1
                self._add_revision(session, actor, row)
            write_history(session, actor, case, kind, row.id, changed)
            return list(changed)

    @classmethod
    def _checked(
        cls,
        kind: Record,
        row: Any,
        case: KaaCase,
        changes: dict[str, Any],
        today: date,
        confirmed: bool,
    ) -> dict[str, Any]:
        """The changes, tidied and checked against the rules for the record after them."""
        model = _MODELS[kind][0]
        values = dict(changes)
        for name, value in changes.items():
            column = model.__table__.columns[name]
            if isinstance(column.type, String):
                values[name] = _tidy_text(column, value)
            if values[name] is None and not column.nullable:
                raise CaseError(f"Det går inte att ta bort {FIELD_NAMES[name]} – skriv ett nytt.")
        for name, (table, what) in _CODED.get(kind, {}).items():
            if name in values:
                require_code(table, str(values[name]), what)
        after = {**{name: getattr(row, name) for name in CORRECTABLE[kind]}, **values}
        if kind == Record.CONTACT:
            if "occurred_on" in values:
                date_rules.contact(after["occurred_on"], case.registered_on, today, confirmed)
        elif kind == Record.OCCUPATION:
            if not 1 <= int(after["extent_percent"]) <= 100:
                raise CaseError("Omfattningen anges i procent, 1–100.")
            if "valid_from" in values:
                date_rules.occupation(after["valid_from"], today, confirmed)
        elif kind == Record.HOME_VISIT:
            cls._check_visit(row, case, values, after, today)
        else:
            cls._check_measure(row, case, values, after, today)
        return values

    @staticmethod
    def _check_visit(
        visit: HomeVisit,
        case: KaaCase,
        values: dict[str, Any],
        after: dict[str, Any],
        today: date,
    ) -> None:
        made = visit.visited_on is not None
        if not made and ({"visited_on", "outcome"} & set(values)):
            raise CaseError(
                "Hembesöket är inte gjort än – skriv **hembesök gjort** när ni har varit där."
            )
        if "planned_on" in values or "notice_sent_on" in values:
            date_rules.home_visit_plan(
                after["planned_on"], after["notice_sent_on"], today, check_planned=not made
            )
        if made and "visited_on" in values:
            date_rules.home_visit_made(after["visited_on"], case.registered_on, today)

    @staticmethod
    def _check_measure(
        measure: Measure,
        case: KaaCase,
        values: dict[str, Any],
        after: dict[str, Any],
        today: date,
    ) -> None:
        if measure.cancelled and set(values) & set(date_rules.MEASURE_DATES):
            raise CaseError("Insatsen är avbruten – dess datum ändras inte längre.")
        dates = {**measure_dates(measure), **{k: after[k] for k in date_rules.MEASURE_DATES}}
        date_rules.measure(
            dates,
            declined=measure.declined,
            registered_on=case.registered_on,
            today=today,
            changed=frozenset(values),
        )
        starts_on = dates["starts_on"]
        if measure.ended_on and starts_on and measure.ended_on < starts_on:
            raise CaseError(
                f"Insatsen avslutades {measure.ended_on.isoformat()} och kan inte börja efter det."
            )
        if after["other_actor"] and not after["other_actor_responsibility"]:
            raise CaseError("Skriv också vad den andra aktören ansvarar för.")

    async def remove_record(self, actor: Actor, kind: Record, record_id: int, reason: str) -> None:
        """Take away an entry made by mistake (a duplicate contact): it is kept, with the
        reason, as a RemovedEntry, and no longer counts anywhere."""
        why = " ".join(reason.split())
        if not why:
            raise CaseError("Skriv varför uppgiften tas bort, till exempel att den är en dubblett.")
        if len(why) > MAX_REASON:
            raise CaseError(f"Orsaken får vara högst {MAX_REASON} tecken.")
        async with self._transaction() as session:
            row, case = await self._record(session, actor, kind, record_id)
            snapshot = _snapshot(row)
            if kind == Record.MEASURE:
                revisions = await session.scalars(
                    select(MeasureRevision)
                    .where(MeasureRevision.measure_id == row.id)
                    .order_by(MeasureRevision.revision)
                )
                snapshot["revisions"] = [
                    {"revision": r.revision, "snapshot": r.snapshot, "staff_id": r.staff_id}
                    for r in revisions
                ]
                await session.execute(
                    delete(MeasureRevision).where(MeasureRevision.measure_id == row.id)
                )
            session.add(
                RemovedEntry(
                    municipality_id=case.municipality_id,
                    case_id=case.id,
                    record=kind.value,
                    record_id=row.id,
                    snapshot=snapshot,
                    reason=why,
                    staff_id=actor.staff_id,
                )
            )
            await session.delete(row)
            record(
                session,
                actor,
                f"{kind.value}.remove",
                case_id=case.id,
                detail=f"{kind.value} {record_id}",
            )
