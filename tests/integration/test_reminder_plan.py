"""plan_day on the database gives exactly what the rules give for each case's full history.

The store is the benchmarks' generated one at a small size, so it has every shape the
national store has: cases without contacts, home visits, measures, plans, closed cases,
unassigned cases. The expected plan is computed here from the generated rows alone
(every contact event, not the loader's aggregates), case by case with due_reminders.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from bench.national import TODAY, Size, generate, given, insert
from scheduler import loading
from scheduler.facts import CaseFacts, MeasureFact
from scheduler.planning import plan_day
from scheduler.rules import due_reminders
from storage import codes
from storage.routine import RoutineSettings
from tests.histories import Contact, Visit, summarise

DAYS = (TODAY, TODAY - timedelta(days=75), TODAY + timedelta(days=40))


@pytest.fixture
async def store(database_url, engine):
    tables = generate(Size(municipalities=5, youths=400, contacts=8000), seed=11)
    await insert(given(database_url), tables)
    return tables


def _full_history_facts(tables) -> dict[int, tuple[CaseFacts, int, int | None]]:
    """Every active case's facts from all of its rows, with municipality and staff."""
    birth = {row[0]: row[4] for row in tables["youth"]}
    contacts: dict[int, list[Contact]] = {}
    for _id, case_id, occurred, _channel, counterpart, outcome, *_ in tables["contact_event"]:
        established = (
            outcome in codes.ESTABLISHING_OUTCOMES
            and counterpart in codes.ESTABLISHING_COUNTERPARTS
        )
        contacts.setdefault(case_id, []).append(Contact(occurred, established))
    visits: dict[int, list[Visit]] = {}
    for _id, case_id, _planned, visited, outcome in tables["home_visit"]:
        if visited is not None:
            visits.setdefault(case_id, []).append(Visit(visited, outcome == "traffad"))
    planned = {case_id for _id, case_id, *_ in tables["plan_revision"]}
    measures: dict[int, list[tuple]] = {}
    for row in tables["measure"]:
        measures.setdefault(row[1], []).append(row)

    cases = {}
    for case_id, municipality, youth, registered, _reason, _source, staff, status, *_ in tables[
        "kaa_case"
    ]:
        if status != "active":
            continue
        reached = [c.on for c in contacts.get(case_id, ()) if c.established]
        last_reached = max(reached, default=None)
        facts = CaseFacts(
            case_id=case_id,
            registered_on=registered,
            birth_date=birth[youth],
            history=summarise(contacts.get(case_id, ()), visits.get(case_id, ())),
            measures=tuple(
                MeasureFact(
                    measure_id=m[0],
                    follow_up_on=m[8],
                    evaluate_on=m[9],
                    ends_on=m[7],
                    end_reason=m[10],
                    # A talk on or after the planned day documents the follow-up.
                    followed_up=last_reached is not None and last_reached >= m[8],
                    evaluated=m[12] is not None,
                )
                for m in measures.get(case_id, ())
            ),
            has_plan=case_id in planned,
        )
        cases[case_id] = (facts, municipality, staff)
    return cases


async def test_loaded_facts_are_the_full_histories_summarised(store, sessionmaker):
    expected = _full_history_facts(store)

    async with sessionmaker() as session:
        loaded = await loading.load_case_facts(session)

    got = {
        case.facts.case_id: (
            case.facts._replace(measures=tuple(sorted(case.facts.measures))),
            case.municipality_id,
            case.assigned_staff_id,
        )
        for case in loaded
    }
    expected = {
        case_id: (facts._replace(measures=tuple(sorted(facts.measures))), municipality, staff)
        for case_id, (facts, municipality, staff) in expected.items()
    }
    assert got == expected
    shapes = [facts for facts, _m, _s in got.values()]
    assert any(f.history.last_visit for f in shapes) and any(not f.ever_reached for f in shapes)
    assert any(f.measures for f in shapes) and any(f.has_plan for f in shapes)


@pytest.mark.parametrize("parts", [1, 3, 8])
async def test_plan_day_equals_the_rules_on_full_histories(store, sessionmaker, monkeypatch, parts):
    monkeypatch.setattr(loading, "READ_PARTS", parts)
    cases = _full_history_facts(store)
    settings = RoutineSettings()

    for today in DAYS:
        plan = await plan_day(sessionmaker, today)

        expected = Counter(
            (reminder, municipality, staff)
            for facts, municipality, staff in cases.values()
            for reminder in due_reminders(facts, settings, today)
        )
        got = Counter((a.reminder, a.municipality_id, a.staff_id) for a in plan.assignments())
        assert len(expected) > 150
        assert got == expected
        for municipality, overview in plan.overviews.items():
            mine = [(f, s) for f, m, s in cases.values() if m == municipality]
            assert overview.active == len(mine)
            assert overview.not_reached == sum(1 for f, _s in mine if not f.ever_reached)


async def test_a_subset_of_municipalities_gets_only_its_own_cases(store, sessionmaker):
    cases = _full_history_facts(store)

    plan = await plan_day(sessionmaker, TODAY, [2, 4])

    assert {a.municipality_id for a in plan.assignments()} == {2, 4}
    assert set(plan.overviews) == {2, 4}
    assert {a.reminder.case_id for a in plan.assignments()} <= {
        case_id for case_id, (_f, m, _s) in cases.items() if m in (2, 4)
    }
