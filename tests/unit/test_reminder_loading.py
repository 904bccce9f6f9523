"""Contacts and home visits summarised for the rules give exactly the reminders the full
history gives."""

from __future__ import annotations

import gc
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from scheduler.daily import _collector_paused
from scheduler.facts import CaseFacts, ContactFact, HomeVisitFact
from scheduler.loading import contacts_from_bounds, visits_from_bounds
from scheduler.routine import RoutineSettings
from scheduler.rules import due_reminders

START = date(2026, 1, 5)


def _random_case(rng: random.Random, case_id: int) -> CaseFacts:
    registered = START + timedelta(days=rng.randint(0, 120))
    contacts = tuple(
        ContactFact(
            registered + timedelta(days=rng.randint(0, 200)),
            rng.choice(["brev", "telefon", "sms"]),
            rng.random() < 0.3,
        )
        for _ in range(rng.choice([0, 1, 2, 3, 8, 20]))
    )
    visits = tuple(
        HomeVisitFact(registered + timedelta(days=rng.randint(20, 150)), rng.random() < 0.5)
        for _ in range(rng.choice([0, 0, 1, 2, 3]))
    )
    return CaseFacts(
        case_id=case_id,
        registered_on=registered,
        birth_date=date(2007, 1, 1) + timedelta(days=rng.randint(0, 900)),
        contacts=contacts,
        home_visits=visits,
    )


def _bounds(facts: tuple[Any, ...], reached: Callable[[Any], bool], from_bounds: Any) -> Any:
    """What the loader's aggregate query returns, turned into facts the way the loader does."""
    if not facts:
        return ()
    days = [fact.on for fact in facts]
    hits = [fact.on for fact in facts if reached(fact)]
    return from_bounds(min(days), max(days), min(hits, default=None), max(hits, default=None))


def test_bounds_keep_every_rule_answer():
    rng = random.Random(2026)
    settings = RoutineSettings()
    for case_id in range(1500):
        facts = _random_case(rng, case_id)
        summary = facts._replace(
            contacts=_bounds(facts.contacts, lambda c: c.established, contacts_from_bounds),
            home_visits=_bounds(facts.home_visits, lambda v: v.met, visits_from_bounds),
        )
        assert len(summary.contacts) <= 4 and len(summary.home_visits) <= 4
        for today in (START + timedelta(days=d) for d in (30, 75, 140, 260)):
            assert due_reminders(summary, settings, today) == due_reminders(facts, settings, today)


def test_one_contact_stays_one():
    [only] = contacts_from_bounds(START, START, None, None)
    assert only.on == START and only.established is False


def test_the_collector_is_paused_while_planning_and_resumes_after():
    assert gc.isenabled()
    with _collector_paused():
        assert not gc.isenabled()
        made = [[n] for n in range(1000)]
    assert gc.isenabled()
    # Aged straight into the oldest generation, so no young collection rescans them.
    assert any(kept is made for kept in gc.get_objects(generation=2))
