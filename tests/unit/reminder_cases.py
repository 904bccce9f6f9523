"""Cases as the reminder rules see them, for the rules' tests: a registration on a Monday,
contacts, home visits and measures."""

from __future__ import annotations

from datetime import date, timedelta

from scheduler.facts import CaseFacts, MeasureFact
from scheduler.rules import DueReminder, Kind, due_reminders
from storage.routine import RoutineSettings
from tests.histories import Contact, Visit, summarise

SETTINGS = RoutineSettings()
REGISTERED = date(2026, 3, 2)  # a Monday


def make_case(
    contacts: tuple[Contact, ...] = (), home_visits: tuple[Visit, ...] = (), **changes: object
) -> CaseFacts:
    base = CaseFacts(
        case_id=17,
        registered_on=REGISTERED,
        birth_date=date(2008, 6, 15),  # turns 20 far outside the tested dates
        history=summarise(contacts, home_visits),
    )
    return base._replace(**changes)


def letter(on: date) -> Contact:
    return Contact(on=on, established=False)


def not_reached(on: date) -> Contact:
    return Contact(on=on, established=False)


def talk(on: date) -> Contact:
    return Contact(on=on, established=True)


def of_kind(
    facts: CaseFacts,
    today: date,
    kind: Kind,
    horizon_days: int = 0,
    settings: RoutineSettings = SETTINGS,
) -> list[DueReminder]:
    return [r for r in due_reminders(facts, settings, today, horizon_days) if r.kind == kind]


def assert_boundary(facts: CaseFacts, kind: Kind, due: date) -> DueReminder:
    """Not shown the day before ``due``, shown on it and still shown (overdue) after it."""
    assert of_kind(facts, due - timedelta(days=1), kind) == []
    [on_day] = of_kind(facts, due, kind)
    [after] = of_kind(facts, due + timedelta(days=10), kind)
    assert on_day.due == after.due == due
    assert on_day.key == after.key
    assert on_day.case_id == facts.case_id
    return on_day


def measure(**changes: object) -> MeasureFact:
    return MeasureFact(measure_id=5)._replace(**changes)
