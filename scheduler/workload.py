"""How a municipality's work is shared out: per staff member their active cases, overdue
reminders and youths still without an established contact four weeks after registration
(the key figures' "kontakt inom 4 veckor"), and the same for the cases nobody holds.

`tally` is pure (the rules' facts in, counts out); `load_workload` reads what it needs.
Counts only: no youth is named, so nothing here is a read of a case.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler.loading import (
    LoadedCase,
    StaffRow,
    load_case_facts,
    load_municipalities,
    load_reminder_states,
    load_staff,
)
from scheduler.rules import CaseRules, ReminderState, apply_states
from storage.access import CASE_HOLDERS
from storage.routine import routine_settings
from storage.sessions import SessionSource

NO_CONTACT_WEEKS = 4


@dataclass
class Load:
    active: int = 0
    overdue: int = 0
    no_contact: int = 0


@dataclass(frozen=True)
class Workload:
    """Per holder, in the order of `staff`; `nobody` for the cases without an active one."""

    staff: tuple[StaffRow, ...]
    loads: Mapping[int, Load]
    nobody: Load


def tally(
    cases: Iterable[LoadedCase],
    rules: CaseRules,
    states: Mapping[str, ReminderState],
    holders: Iterable[int],
) -> tuple[dict[int, Load], Load]:
    """Each holder's load, and that of the cases whose holder is none of them (no
    coordinator, or one who is no longer active staff)."""
    today = rules.today
    cutoff = today - timedelta(weeks=NO_CONTACT_WEEKS)
    loads = {staff_id: Load() for staff_id in holders}
    nobody = Load()
    for facts, _municipality_id, assigned in cases:
        load = loads.get(assigned, nobody) if assigned is not None else nobody
        load.active += 1
        due = apply_states(rules.due(facts), states, today)
        load.overdue += sum(1 for reminder in due if reminder.due < today)
        load.no_contact += not facts.ever_reached and facts.registered_on <= cutoff
    return loads, nobody


async def load_workload(source: SessionSource, municipality_id: int, today: date) -> Workload:
    async with source() as session:
        municipalities = await load_municipalities(session, [municipality_id])
        staff = await load_staff(session, [municipality_id])
        cases = await load_case_facts(session, [municipality_id])
    states = await load_reminder_states(source, [municipality_id])
    holders = tuple(
        sorted(
            (member for member in staff.values() if member.role in CASE_HOLDERS),
            key=lambda member: (member.name, member.id),
        )
    )
    rules = CaseRules(routine_settings(municipalities[0]), today, horizon_days=0)
    loads, nobody = tally(cases, rules, states[municipality_id], (m.id for m in holders))
    return Workload(holders, loads, nobody)
