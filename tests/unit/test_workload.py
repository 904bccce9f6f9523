"""Arbetsfördelning: the tally per holder is a pure function of the rules' facts."""

from __future__ import annotations

from datetime import date, timedelta

from dialogs.workload import NOBODY, rows, workload_card
from scheduler.facts import CaseFacts, ContactHistory
from scheduler.loading import LoadedCase, StaffRow
from scheduler.rules import CaseRules, Kind, ReminderState
from scheduler.workload import NO_CONTACT_WEEKS, Load, Workload, tally
from storage.routine import RoutineSettings

TODAY = date(2026, 5, 20)
LONG_AGO = TODAY - timedelta(weeks=NO_CONTACT_WEEKS, days=1)
RECENT = TODAY - timedelta(days=3)
RULES = CaseRules(RoutineSettings(), TODAY, horizon_days=0)


def case(case_id: int, registered: date, *, reached: bool = False) -> CaseFacts:
    history = ContactHistory(registered, registered, registered, registered) if reached else None
    facts = CaseFacts(case_id=case_id, registered_on=registered, birth_date=date(2008, 6, 15))
    return facts._replace(history=history) if history else facts


def loaded(facts: CaseFacts, holder: int | None) -> LoadedCase:
    return LoadedCase(facts, 1, holder)


def test_each_holder_gets_their_cases_overdue_reminders_and_unreached_youths():
    never_contacted = case(1, LONG_AGO)
    reached = case(2, LONG_AGO, reached=True)
    new = case(3, RECENT)
    loads, nobody = tally(
        [loaded(never_contacted, 10), loaded(reached, 10), loaded(new, 11), loaded(new, None)],
        RULES,
        {},
        [10, 11, 12],
    )
    assert (loads[10].active, loads[10].no_contact) == (2, 1)
    assert loads[10].overdue == len([r for r in RULES.due(never_contacted) if r.due < TODAY]) + len(
        [r for r in RULES.due(reached) if r.due < TODAY]
    )
    assert loads[10].overdue >= 1
    assert (loads[11].active, loads[11].no_contact) == (1, 0)
    assert (loads[12].active, loads[12].overdue, loads[12].no_contact) == (0, 0, 0)
    assert (nobody.active, nobody.no_contact) == (1, 0)


def test_done_reminders_are_not_overdue_and_a_leavers_cases_are_nobodys():
    facts = case(1, LONG_AGO)
    due = [r for r in RULES.due(facts) if r.due < TODAY]
    assert any(r.kind == Kind.FIRST_CONTACT for r in due)
    states = {r.key: ReminderState(done=True) for r in due}
    loads, nobody = tally([loaded(facts, 10), loaded(facts, 99)], RULES, states, [10])
    assert loads[10].overdue == 0 and loads[10].active == 1
    # 99 is not among the holders (deactivated, or no staff at all): nobody holds the case.
    assert (nobody.active, nobody.overdue, nobody.no_contact) == (1, 0, 1)


def test_the_card_has_a_row_per_holder_and_a_grouped_chart():
    staff = (
        StaffRow(10, "aad-a", "Anna Ek", "coordinator", 1),
        StaffRow(11, "aad-b", "Bo", "admin", 1),
    )
    loads, nobody = tally(
        [loaded(case(1, LONG_AGO), 10), loaded(case(2, RECENT), None)], RULES, {}, [10, 11]
    )
    work = Workload(staff, loads, nobody)
    assert [name for name, _load in rows(work)] == ["Anna Ek", "Bo", NOBODY]
    card = workload_card(work, "Arbetsfördelning")
    [table] = [block for block in card["body"] if block["type"] == "Table"]
    assert len(table["rows"]) == 4
    [chart] = [block for block in card["body"] if block["type"] == "Chart.VerticalBar.Grouped"]
    assert [series["legend"] for series in chart["data"]] == [
        "Aktiva ärenden",
        "Försenade påminnelser",
        "Utan kontakt efter 4 veckor",
    ]
    assert chart["data"][0]["values"] == [
        {"x": "Anna Ek", "y": 1},
        {"x": "Bo", "y": 0},
        {"x": NOBODY, "y": 1},
    ]
    empty = Workload(staff, {10: Load(), 11: Load()}, Load())
    assert not any(b["type"].startswith("Chart") for b in workload_card(empty, "x")["body"])
