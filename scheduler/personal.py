"""What one staff member has to do now, for "vad har jag idag?", "försenade" and "vilka har
jag inte nått?": the daily job's facts and rules over their own active cases.

Answers go to the staff member's own 1:1 chat, so they may name the youths; every case an
answer names is written to the audit log (`case.list`) in the same transaction as the read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.facts import CaseFacts
from scheduler.labels import load_case_labels, load_staff_labels
from scheduler.loading import (
    LoadedCase,
    load_case_facts,
    load_reminder_states,
)
from scheduler.messages import CaseLabel
from scheduler.rules import CaseRules, DueReminder, apply_states
from storage import access
from storage.audit import Actor, record_reads
from storage.routine import RoutineService
from storage.sessions import SessionSource, audited


@dataclass(frozen=True)
class DueNow:
    """The reminders due today or earlier (done and snoozed ones left out), earliest first,
    with the names of the cases they are about; ``has_cases`` whether there are any cases."""

    reminders: list[DueReminder]
    labels: dict[int, CaseLabel]
    has_cases: bool


@dataclass(frozen=True)
class Unreached:
    """Active cases without an established contact, longest registered first: the first ones
    (shown, and audited) with their names, and how many there are."""

    shown: list[tuple[CaseFacts, CaseLabel | None]]
    total: int
    has_cases: bool


async def due_now(
    source: SessionSource, actor: Actor, today: date, *, overdue_only: bool = False
) -> DueNow:
    """The actor's reminders due today or earlier (before today with ``overdue_only``)."""
    municipality_id = access.municipality_of(actor)
    async with audited(source) as session:
        mine = await _my_facts(session, actor)
        if not mine:
            return DueNow([], {}, False)
        routine = await RoutineService(source).current(actor)
        states = await load_reminder_states(source, [municipality_id])
        rules = CaseRules(routine, today, horizon_days=0)
        due = [
            reminder
            for loaded in mine
            for reminder in apply_states(rules.due(loaded.facts), states[municipality_id], today)
            if not overdue_only or reminder.due < today
        ]
        due.sort(key=lambda r: (r.due, r.kind, r.case_id or 0))
        ids = sorted({r.case_id for r in due if r.case_id})
        labels = await load_staff_labels(session, municipality_id, actor.staff_id) if ids else {}
        await record_reads(session, actor, "case.list", ids)
    return DueNow(due, {case_id: labels[case_id] for case_id in ids if case_id in labels}, True)


async def unreached(source: SessionSource, actor: Actor, limit: int) -> Unreached:
    """The actor's active cases where neither the youth nor a guardian was ever reached."""
    async with audited(source) as session:
        mine = await _my_facts(session, actor)
        cases = sorted(
            (loaded.facts for loaded in mine if not loaded.facts.ever_reached),
            key=lambda facts: facts.registered_on,
        )
        ids = [facts.case_id for facts in cases[:limit]]
        await record_reads(session, actor, "case.list", ids)
        labels = await load_case_labels(session, ids)
    shown = [(facts, labels.get(facts.case_id)) for facts in cases[:limit]]
    return Unreached(shown, len(cases), bool(mine))


async def _my_facts(session: AsyncSession, actor: Actor) -> list[LoadedCase]:
    if actor.staff_id is None:
        return []
    return await load_case_facts(session, [access.municipality_of(actor)], staff_id=actor.staff_id)
