"""A day's plan: every due reminder with its recipient, and each municipality's counts.

The rules (rules.py) run over every active case as the cases are read; what staff
marked done or snoozed is dropped; a case reminder goes to the case's assigned staff
member (an unassigned case has no recipient and is counted for the team channel), an
SCB deadline to every coordinator and manager. Each municipality's cases that reach no
coordinator (unattended.py) are counted for its managers and team channels.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.loading import (
    LoadedCase,
    StaffRow,
    for_each_part,
    load_municipalities,
    load_reminder_states,
    load_staff,
)
from scheduler.rules import CaseRules, DueReminder, ReminderState, apply_states
from scheduler.scb_incomplete import incomplete_scb_counts
from scheduler.scb_rules import scb_confirm_reminders, scb_deadline_reminders
from scheduler.unattended import Unattended, load_unattended, unattended_text
from storage.codes import Role
from storage.routine import RoutineSettings, routine_settings
from storage.scb.calendar import ScbCalendar

SCB_RECIPIENT_ROLES = frozenset({Role.COORDINATOR, Role.MANAGER})
CONFIRM_ROLES = frozenset({Role.ADMIN})
# Whose digest says how many of the municipality's cases reach no coordinator.
OVERSEER_ROLES = frozenset({Role.MANAGER})
NEW_INTAKE_DAYS = 7


class Assignment(NamedTuple):
    reminder: DueReminder
    municipality_id: int
    staff_id: int | None


@dataclass(frozen=True)
class Overview:
    """A municipality's counts for the weekly overview in the team channel."""

    active: int
    new_this_week: int
    not_reached: int
    overdue: int


# Staff id (None: nobody, the case is unassigned) -> that person's due reminders.
ByStaff = dict[int | None, list[DueReminder]]


@dataclass
class DayPlan:
    today: date
    # Per municipality, each recipient's reminders. Lists rather than one Assignment per
    # item: the national plan keeps 70 000 items, and every object kept is one more for
    # Python's cycle collector to scan while the bot serves chat turns meanwhile.
    due: dict[int, ByStaff]
    staff: dict[int, StaffRow]
    overviews: dict[int, Overview]
    unattended: dict[int, Unattended] = field(default_factory=dict)

    def unattended_notes(self) -> dict[int, str]:
        """Per manager (staff id), what their digest says of the cases nobody follows up;
        none where every case reaches its coordinator."""
        notes = {}
        for member in self.staff.values():
            counts = self.unattended.get(member.municipality_id)
            if member.role in OVERSEER_ROLES and counts is not None and counts.total:
                notes[member.id] = unattended_text(counts)
        return notes

    def assignments(self) -> Iterator[Assignment]:
        """Every due reminder with its municipality and recipient."""
        for municipality_id, by_staff in self.due.items():
            for staff_id, reminders in by_staff.items():
                for reminder in reminders:
                    yield Assignment(reminder, municipality_id, staff_id)


async def plan_day(
    sessionmaker: async_sessionmaker[AsyncSession],
    today: date,
    municipality_ids: Collection[int] | None = None,
) -> DayPlan:
    """Every due reminder and its recipient, for the given municipalities or all."""
    periods = await ScbCalendar(sessionmaker).near(today)
    async with sessionmaker() as session:
        municipalities = await load_municipalities(session, municipality_ids)
        ids = [m.id for m in municipalities]
        settings = {m.id: routine_settings(m) for m in municipalities}
        staff = await load_staff(session, ids)
    # Counting incomplete SCB data reads every case of the half-year, so it is done only
    # for the periods and municipalities that show an SCB deadline reminder today.
    counting: dict[str, list[int]] = {}
    for municipality_id in ids:
        for reminder in scb_deadline_reminders(periods, settings[municipality_id], today, {}):
            counting.setdefault(reminder.period_code or "", []).append(municipality_id)
    # On connections of its own while the cases are read and planned: the database reads
    # the half-year meanwhile.
    counted = asyncio.create_task(incomplete_scb_counts(sessionmaker, periods, counting))
    try:
        states = await load_reminder_states(sessionmaker, ids)
        planner = _Planner(today, settings, states, staff)
        await for_each_part(sessionmaker, None if municipality_ids is None else ids, planner.add)
        incomplete = await counted
    finally:
        counted.cancel()

    due = {m: planner.municipalities[m].due for m in ids}
    members: dict[int, list[StaffRow]] = {}
    for member in staff.values():
        members.setdefault(member.municipality_id, []).append(member)
    confirm = scb_confirm_reminders(periods, today)
    for m in ids:
        scb = scb_deadline_reminders(periods, settings[m], today, incomplete.get(m, {}))
        for reminders, roles in ((scb, SCB_RECIPIENT_ROLES), (confirm, CONFIRM_ROLES)):
            shown = apply_states(reminders, states[m], today) if reminders else []
            for member in members.get(m, []) if shown else []:
                if member.role in roles:
                    due[m].setdefault(member.id, []).extend(shown)
    overviews = {m: planner.municipalities[m].tally.overview() for m in ids}
    unattended = await load_unattended(sessionmaker, ids)
    return DayPlan(today, due, staff, overviews, unattended)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a process does nothing but the day's job.

    A national plan builds about a million small objects without a single reference
    cycle, and the collector keeps re-scanning them as they grow. Reference counting
    still frees everything; the collector resumes (if it ran before) afterwards. The
    switch is process-wide, so only the command-line job uses it (`kaa-bot reminders
    run`): inside `serve` the chat turns running meanwhile must keep their collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # The plan's objects go straight to the oldest generation (freeze, then unfreeze):
        # otherwise the first collection after resuming scans them all once more, only
        # to find them still in use.
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


@dataclass
class _Tally:
    """A municipality's counts for its weekly overview, summed case by case."""

    active: int = 0
    new_this_week: int = 0
    not_reached: int = 0
    overdue: int = 0

    def overview(self) -> Overview:
        return Overview(
            active=self.active,
            new_this_week=self.new_this_week,
            not_reached=self.not_reached,
            overdue=self.overdue,
        )


@dataclass
class _Municipality:
    """What planning one municipality's cases needs, and what it has found so far."""

    rules: CaseRules
    states: Mapping[str, ReminderState]
    due: ByStaff = field(default_factory=dict)
    tally: _Tally = field(default_factory=_Tally)


class _Planner:
    """The rules run over each case as the cases are read: reminders with their recipient,
    done and snoozed ones applied, and each municipality's counts."""

    def __init__(
        self,
        today: date,
        settings: Mapping[int, RoutineSettings],
        states: Mapping[int, Mapping[str, ReminderState]],
        staff: Mapping[int, StaffRow],
    ) -> None:
        self._today = today
        self._since = today - timedelta(days=NEW_INTAKE_DAYS)
        self._staff = staff
        self.municipalities = {
            m: _Municipality(CaseRules(routine, today), states[m])
            for m, routine in settings.items()
        }

    def add(self, cases: Sequence[LoadedCase]) -> None:
        today, since, staff = self._today, self._since, self._staff
        for facts, municipality_id, assigned in cases:
            municipality = self.municipalities[municipality_id]
            due = municipality.rules.due(facts)
            if municipality.states:
                due = apply_states(due, municipality.states, today)
            staff_id = assigned if assigned in staff else None
            tally = municipality.tally
            if due:
                mine = municipality.due.get(staff_id)
                if mine is None:
                    mine = municipality.due[staff_id] = []
                mine += due
                for reminder in due:
                    tally.overdue += reminder.due < today
            tally.active += 1
            tally.new_this_week += facts.registered_on > since
            tally.not_reached += not facts.ever_reached
