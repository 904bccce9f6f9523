"""The reminders of one case, for the case view: the daily job's rules over the case's facts,
with the ones staff marked done or snoozed left out."""

from __future__ import annotations

from datetime import date

from scheduler.loading import load_case_facts, load_reminder_states
from scheduler.rules import DueReminder, apply_states, due_reminders
from storage.routine import RoutineSettings
from storage.sessions import SessionSource


async def case_reminders(
    source: SessionSource,
    municipality_id: int,
    case_id: int,
    settings: RoutineSettings,
    today: date,
    horizon_days: int,
) -> list[DueReminder]:
    """The active case's reminders due up to ``horizon_days`` from today, earliest first."""
    async with source() as session:
        loaded = await load_case_facts(session, [municipality_id], id_range=(case_id, case_id))
    if not loaded:
        return []
    states = await load_reminder_states(source, [municipality_id], case_id=case_id)
    due = due_reminders(loaded[0].facts, settings, today, horizon_days=horizon_days)
    return apply_states(due, states[municipality_id], today)
