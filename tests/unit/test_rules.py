import random
from datetime import date, time, timedelta

import pytest

from scheduler.calendar import add_months, is_digest_day
from scheduler.facts import CaseFacts, MeasureFact
from scheduler.rules import (
    DueReminder,
    Kind,
    ReminderState,
    Turning20,
    apply_states,
    due_reminders,
    group_for_digest,
)
from storage.routine import RoutineSettings, RoutineSettingsError
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


# first_contact


def test_first_contact_two_working_days_after_registration() -> None:
    reminder = assert_boundary(make_case(), Kind.FIRST_CONTACT, date(2026, 3, 4))
    assert reminder.key == "first_contact:17:2026-03-02"
    assert "kontakta" in reminder.detail


def test_first_contact_across_a_weekend() -> None:
    thursday = date(2026, 3, 5)
    assert_boundary(make_case(registered_on=thursday), Kind.FIRST_CONTACT, date(2026, 3, 9))


def test_first_contact_across_christmas() -> None:
    # 24, 25, 26 (Saturday) and 27 December are all non-working.
    facts = make_case(registered_on=date(2026, 12, 23))
    assert of_kind(facts, date(2026, 12, 28), Kind.FIRST_CONTACT) == []
    assert_boundary(facts, Kind.FIRST_CONTACT, date(2026, 12, 29))


def test_first_contact_completed_by_any_attempt() -> None:
    facts = make_case(contacts=(letter(date(2026, 3, 3)),))
    assert of_kind(facts, date(2026, 3, 20), Kind.FIRST_CONTACT) == []


def test_first_contact_follows_the_setting() -> None:
    settings = RoutineSettings.from_mapping({"first_contact_working_days": 5})
    [reminder] = of_kind(make_case(), date(2026, 3, 9), Kind.FIRST_CONTACT, settings=settings)
    assert reminder.due == date(2026, 3, 9)


# contact_followup


def test_contact_followup_one_month_after_first_attempt() -> None:
    facts = make_case(contacts=(letter(date(2026, 3, 2)),))
    reminder = assert_boundary(facts, Kind.CONTACT_FOLLOWUP, date(2026, 4, 2))
    assert reminder.key == "contact_followup:17:2026-03-02"
    assert "en månad" in reminder.detail


def test_contact_followup_within_the_horizon() -> None:
    facts = make_case(contacts=(letter(date(2026, 3, 2)),))
    assert of_kind(facts, date(2026, 3, 25), Kind.CONTACT_FOLLOWUP, horizon_days=7) == []
    [reminder] = of_kind(facts, date(2026, 3, 26), Kind.CONTACT_FOLLOWUP, horizon_days=7)
    assert reminder.due == date(2026, 4, 2)


def test_contact_followup_completed_by_a_second_attempt() -> None:
    first = letter(date(2026, 3, 2))
    assert of_kind(make_case(contacts=(first,)), date(2026, 4, 2), Kind.CONTACT_FOLLOWUP)
    logged = make_case(contacts=(first, not_reached(date(2026, 4, 2))))
    assert of_kind(logged, date(2026, 4, 2), Kind.CONTACT_FOLLOWUP) == []


def test_contact_followup_not_due_after_established_contact() -> None:
    facts = make_case(contacts=(letter(date(2026, 3, 2)), talk(date(2026, 3, 2))))
    assert of_kind(facts, date(2026, 4, 10), Kind.CONTACT_FOLLOWUP) == []


def test_contact_followup_interval_setting_changes_due_and_text() -> None:
    settings = RoutineSettings.from_mapping({"contact_followup_months": 2})
    facts = make_case(contacts=(letter(date(2026, 3, 2)),))
    assert of_kind(facts, date(2026, 5, 1), Kind.CONTACT_FOLLOWUP, settings=settings) == []
    [reminder] = of_kind(facts, date(2026, 5, 2), Kind.CONTACT_FOLLOWUP, settings=settings)
    assert "två månader" in reminder.detail


# home_visit


def test_home_visit_two_months_after_first_attempt() -> None:
    facts = make_case(contacts=(letter(date(2026, 3, 2)), not_reached(date(2026, 4, 2))))
    reminder = assert_boundary(facts, Kind.HOME_VISIT, date(2026, 5, 2))
    assert reminder.key == "home_visit:17:2026-03-02"


def test_home_visit_completed_by_logging_a_home_visit() -> None:
    contacts = (letter(date(2026, 3, 2)),)
    assert of_kind(make_case(contacts=contacts), date(2026, 5, 4), Kind.HOME_VISIT)
    visited = make_case(contacts=contacts, home_visits=(Visit(on=date(2026, 5, 4), met=False),))
    assert of_kind(visited, date(2026, 5, 4), Kind.HOME_VISIT) == []


# home_visit_followup


def test_home_visit_followup_one_month_after_unanswered_visit() -> None:
    facts = make_case(
        contacts=(letter(date(2026, 3, 2)), not_reached(date(2026, 4, 2))),
        home_visits=(Visit(on=date(2026, 5, 4), met=False),),
    )
    reminder = assert_boundary(facts, Kind.HOME_VISIT_FOLLOWUP, date(2026, 6, 4))
    assert reminder.key == "home_visit_followup:17:2026-05-04"


def test_home_visit_followup_completed_by_a_later_contact() -> None:
    logged = make_case(
        contacts=(letter(date(2026, 3, 2)), Contact(date(2026, 6, 5), established=False)),
        home_visits=(Visit(on=date(2026, 5, 4), met=False),),
    )
    assert of_kind(logged, date(2026, 6, 10), Kind.HOME_VISIT_FOLLOWUP) == []


def test_home_visit_where_the_youth_was_met_needs_no_followup() -> None:
    facts = make_case(
        contacts=(letter(date(2026, 3, 2)),),
        home_visits=(Visit(on=date(2026, 5, 4), met=True),),
    )
    today = date(2026, 6, 10)
    kinds = {r.kind for r in due_reminders(facts, SETTINGS, today, 0)}
    assert Kind.HOME_VISIT_FOLLOWUP not in kinds
    assert Kind.CONTACT_GOAL not in kinds  # a met home visit is an established contact


def test_a_new_home_visit_is_a_new_situation() -> None:
    first = Visit(on=date(2026, 5, 4), met=False)
    contacts = (letter(date(2026, 3, 2)),)
    facts = make_case(contacts=contacts, home_visits=(first,))
    [before] = of_kind(facts, date(2026, 6, 4), Kind.HOME_VISIT_FOLLOWUP)
    second = Visit(on=date(2026, 6, 8), met=False)
    again = make_case(contacts=contacts, home_visits=(first, second))
    assert of_kind(again, date(2026, 7, 7), Kind.HOME_VISIT_FOLLOWUP) == []
    [after] = of_kind(again, date(2026, 7, 8), Kind.HOME_VISIT_FOLLOWUP)
    assert after.key != before.key


# contact_goal


def test_contact_goal_three_weeks_after_registration() -> None:
    reminder = assert_boundary(make_case(), Kind.CONTACT_GOAL, date(2026, 3, 23))
    assert reminder.key == "contact_goal:17:2026-03-02"
    assert "fyra veckor" in reminder.detail


def test_contact_goal_stays_after_attempts_and_goes_with_established_contact() -> None:
    contacts = (letter(date(2026, 3, 2)), not_reached(date(2026, 3, 10)))
    assert of_kind(make_case(contacts=contacts), date(2026, 3, 23), Kind.CONTACT_GOAL)
    reached = make_case(contacts=(*contacts, talk(date(2026, 3, 23))))
    assert of_kind(reached, date(2026, 3, 23), Kind.CONTACT_GOAL) == []


# regular_followup


def test_regular_followup_one_month_after_last_established_contact() -> None:
    facts = make_case(has_plan=True, contacts=(talk(date(2026, 3, 10)),))
    reminder = assert_boundary(facts, Kind.REGULAR_FOLLOWUP, date(2026, 4, 10))
    assert reminder.key == "regular_followup:17:2026-04-10"


def test_regular_followup_recurs_monthly_with_a_new_key() -> None:
    facts = make_case(has_plan=True, contacts=(talk(date(2026, 3, 10)),))
    [overdue] = of_kind(facts, date(2026, 5, 9), Kind.REGULAR_FOLLOWUP)
    assert overdue.due == date(2026, 4, 10)
    [next_month] = of_kind(facts, date(2026, 5, 10), Kind.REGULAR_FOLLOWUP)
    assert next_month.due == date(2026, 5, 10)
    assert next_month.key == "regular_followup:17:2026-05-10"


def test_regular_followup_moves_with_a_new_established_contact() -> None:
    first = talk(date(2026, 3, 10))
    facts = make_case(has_plan=True, contacts=(first,))
    assert of_kind(facts, date(2026, 4, 12), Kind.REGULAR_FOLLOWUP)
    logged = make_case(has_plan=True, contacts=(first, talk(date(2026, 4, 12))))
    assert of_kind(logged, date(2026, 4, 12), Kind.REGULAR_FOLLOWUP) == []
    [reminder] = of_kind(logged, date(2026, 5, 12), Kind.REGULAR_FOLLOWUP)
    assert reminder.key == "regular_followup:17:2026-05-12"


def test_regular_followup_not_completed_by_an_unanswered_attempt() -> None:
    facts = make_case(
        has_plan=True,
        contacts=(talk(date(2026, 3, 10)), not_reached(date(2026, 4, 11))),
    )
    [reminder] = of_kind(facts, date(2026, 4, 12), Kind.REGULAR_FOLLOWUP)
    assert reminder.due == date(2026, 4, 10)


# plan_missing


def test_plan_missing_four_weeks_after_first_established_contact() -> None:
    facts = make_case(contacts=(letter(date(2026, 3, 2)), talk(date(2026, 3, 10))))
    reminder = assert_boundary(facts, Kind.PLAN_MISSING, date(2026, 4, 7))
    assert reminder.key == "plan_missing:17:2026-03-10"


def test_plan_missing_completed_by_a_plan() -> None:
    facts = make_case(contacts=(talk(date(2026, 3, 10)),))
    assert of_kind(facts, date(2026, 4, 7), Kind.PLAN_MISSING)
    planned = facts._replace(has_plan=True)
    assert of_kind(planned, date(2026, 4, 7), Kind.PLAN_MISSING) == []


def test_plan_missing_needs_an_established_contact() -> None:
    facts = make_case(contacts=(letter(date(2026, 3, 2)),))
    assert of_kind(facts, date(2026, 6, 1), Kind.PLAN_MISSING) == []


# measures


def measure(**changes: object) -> MeasureFact:
    return MeasureFact(measure_id=5)._replace(**changes)


def test_measure_followup_on_its_date() -> None:
    facts = make_case(measures=(measure(follow_up_on=date(2026, 4, 15)),))
    reminder = assert_boundary(facts, Kind.MEASURE_FOLLOWUP, date(2026, 4, 15))
    assert reminder.key == "measure_followup:17:5:2026-04-15"
    assert reminder.measure_id == 5


def test_measure_followup_completed_when_documented_or_ended() -> None:
    facts = make_case(measures=(measure(follow_up_on=date(2026, 4, 15)),))
    assert of_kind(facts, date(2026, 4, 20), Kind.MEASURE_FOLLOWUP)
    done = facts._replace(measures=(measure(follow_up_on=date(2026, 4, 15), followed_up=True),))
    assert of_kind(done, date(2026, 4, 20), Kind.MEASURE_FOLLOWUP) == []
    ended = facts._replace(
        measures=(measure(follow_up_on=date(2026, 4, 15), end_reason="studier"),)
    )
    assert of_kind(ended, date(2026, 4, 20), Kind.MEASURE_FOLLOWUP) == []


def test_a_new_follow_up_date_is_a_new_key() -> None:
    first = make_case(measures=(measure(follow_up_on=date(2026, 4, 15)),))
    moved = make_case(measures=(measure(follow_up_on=date(2026, 5, 15)),))
    [a] = of_kind(first, date(2026, 5, 20), Kind.MEASURE_FOLLOWUP)
    [b] = of_kind(moved, date(2026, 5, 20), Kind.MEASURE_FOLLOWUP)
    assert a.key != b.key


def test_measure_evaluation_on_its_date_even_after_the_measure_ended() -> None:
    facts = make_case(
        measures=(measure(evaluate_on=date(2026, 5, 20), ends_on=date(2026, 5, 1), end_reason="x"),)
    )
    reminder = assert_boundary(facts, Kind.MEASURE_EVALUATION, date(2026, 5, 20))
    assert reminder.key == "measure_evaluation:17:5:2026-05-20"


def test_measure_evaluation_completed_when_evaluated() -> None:
    facts = make_case(measures=(measure(evaluate_on=date(2026, 5, 20), evaluated=True),))
    assert of_kind(facts, date(2026, 6, 1), Kind.MEASURE_EVALUATION) == []


def test_measure_end_overdue_the_day_after_the_end_date() -> None:
    facts = make_case(measures=(measure(ends_on=date(2026, 4, 30)),))
    reminder = assert_boundary(facts, Kind.MEASURE_END_OVERDUE, date(2026, 5, 1))
    assert reminder.key == "measure_end_overdue:17:5:2026-04-30"


def test_measure_end_overdue_completed_by_an_end_reason() -> None:
    facts = make_case(measures=(measure(ends_on=date(2026, 4, 30), end_reason="studier"),))
    assert of_kind(facts, date(2026, 5, 10), Kind.MEASURE_END_OVERDUE) == []


def test_measures_are_reminded_separately() -> None:
    facts = make_case(
        measures=(
            measure(measure_id=5, follow_up_on=date(2026, 4, 15)),
            measure(measure_id=6, follow_up_on=date(2026, 4, 15)),
        )
    )
    reminders = of_kind(facts, date(2026, 4, 15), Kind.MEASURE_FOLLOWUP)
    assert [r.measure_id for r in reminders] == [5, 6]


# turning_20


def test_turning_20_prepare_thirty_days_ahead_then_close_on_birthday() -> None:
    facts = make_case(birth_date=date(2006, 5, 10))
    assert of_kind(facts, date(2026, 4, 9), Kind.TURNING_20) == []
    [prepare] = of_kind(facts, date(2026, 4, 10), Kind.TURNING_20)
    assert prepare.variant == Turning20.PREPARE
    assert prepare.due == date(2026, 4, 10)
    [still] = of_kind(facts, date(2026, 5, 9), Kind.TURNING_20)
    assert still.key == prepare.key
    [close] = of_kind(facts, date(2026, 5, 10), Kind.TURNING_20)
    assert close.variant == Turning20.CLOSE
    assert close.due == date(2026, 5, 10)
    assert close.key != prepare.key
    assert "fyllt 20" in close.detail
    [later] = of_kind(facts, date(2026, 5, 20), Kind.TURNING_20)
    assert later.key == close.key


def test_turning_20_close_replaces_prepare_within_the_horizon() -> None:
    facts = make_case(birth_date=date(2006, 5, 10))
    [reminder] = of_kind(facts, date(2026, 5, 3), Kind.TURNING_20, horizon_days=7)
    assert reminder.variant == Turning20.CLOSE
    [reminder] = of_kind(facts, date(2026, 5, 2), Kind.TURNING_20, horizon_days=7)
    assert reminder.variant == Turning20.PREPARE


def test_turning_20_born_on_leap_day() -> None:
    leap_year = make_case(birth_date=date(2008, 2, 29))
    [close] = of_kind(leap_year, date(2028, 2, 29), Kind.TURNING_20)
    assert (close.variant, close.due) == (Turning20.CLOSE, date(2028, 2, 29))
    [prepare] = of_kind(leap_year, date(2028, 1, 30), Kind.TURNING_20)
    assert (prepare.variant, prepare.due) == (Turning20.PREPARE, date(2028, 1, 30))
    assert of_kind(leap_year, date(2028, 1, 29), Kind.TURNING_20) == []

    # 2100 is not a leap year: the birthday falls on 1 March, as storage.eligibility counts it.
    common_year = make_case(birth_date=date(2080, 2, 29))
    [prepare] = of_kind(common_year, date(2100, 2, 28), Kind.TURNING_20, horizon_days=0)
    assert prepare.variant == Turning20.PREPARE
    [close] = of_kind(common_year, date(2100, 3, 1), Kind.TURNING_20)
    assert (close.variant, close.due) == (Turning20.CLOSE, date(2100, 3, 1))


# the case as a whole


def test_closed_case_gives_nothing() -> None:
    facts = make_case(
        active=False,
        birth_date=date(2006, 5, 10),
        contacts=(letter(date(2026, 3, 2)),),
        measures=(measure(follow_up_on=date(2026, 4, 1), ends_on=date(2026, 4, 2)),),
    )
    assert due_reminders(facts, SETTINGS, date(2026, 6, 1)) == []
    assert due_reminders(facts._replace(active=True), SETTINGS, date(2026, 6, 1)) != []


def test_keys_are_stable_across_consecutive_days() -> None:
    facts = make_case(
        contacts=(letter(date(2026, 3, 2)),),
        measures=(measure(follow_up_on=date(2026, 3, 20), ends_on=date(2026, 3, 25)),),
    )
    first_day = date(2026, 4, 6)
    keys = {
        frozenset(r.key for r in due_reminders(facts, SETTINGS, first_day + timedelta(days=n)))
        for n in range(18)
    }
    assert len(keys) == 1
    assert frozenset(keys.pop()) == {
        "contact_goal:17:2026-03-02",
        "contact_followup:17:2026-03-02",
        "measure_followup:17:5:2026-03-20",
        "measure_end_overdue:17:5:2026-03-25",
    }


def test_kind_names_are_exactly_the_documented_ones() -> None:
    assert {str(kind) for kind in Kind} == {
        "first_contact",
        "contact_followup",
        "home_visit",
        "home_visit_followup",
        "contact_goal",
        "regular_followup",
        "measure_followup",
        "measure_evaluation",
        "measure_end_overdue",
        "plan_missing",
        "turning_20",
        "scb_deadline",
        "scb_confirm",
    }


def test_details_carry_no_personal_data() -> None:
    facts = make_case(
        case_id=4242,
        registered_on=date(2026, 1, 2),
        birth_date=date(2006, 5, 10),
        contacts=(letter(date(2026, 1, 2)),),
        home_visits=(Visit(on=date(2026, 3, 2), met=False),),
        measures=(measure(follow_up_on=date(2026, 4, 1), evaluate_on=date(2026, 4, 2)),),
    )
    reminders = due_reminders(facts, SETTINGS, date(2026, 4, 20))
    assert {r.kind for r in reminders} == {
        "contact_goal",
        "home_visit_followup",
        "measure_followup",
        "measure_evaluation",
        "turning_20",
    }
    for reminder in reminders:
        assert "4242" not in reminder.detail
        assert "2006" not in reminder.detail
        assert reminder.detail.endswith(".")


def test_due_reminders_sorted_by_due_date() -> None:
    facts = make_case(measures=(measure(follow_up_on=date(2026, 3, 3)),))
    dues = [r.due for r in due_reminders(facts, SETTINGS, date(2026, 3, 30))]
    assert dues == sorted(dues)


# states and digest


def test_done_reminder_disappears() -> None:
    [reminder] = of_kind(make_case(), date(2026, 3, 4), Kind.FIRST_CONTACT)
    states = {reminder.key: ReminderState(done=True)}
    assert apply_states([reminder], states, date(2026, 3, 4)) == []
    assert apply_states([reminder], {}, date(2026, 3, 4)) == [reminder]


def test_snoozed_reminder_comes_back_on_its_new_date() -> None:
    [reminder] = of_kind(make_case(), date(2026, 3, 4), Kind.FIRST_CONTACT)
    states = {reminder.key: ReminderState(snoozed_until=date(2026, 3, 11))}
    assert apply_states([reminder], states, date(2026, 3, 4)) == []
    assert apply_states([reminder], states, date(2026, 3, 10)) == []
    [back] = apply_states([reminder], states, date(2026, 3, 11))
    assert back.due == date(2026, 3, 11)
    assert back.key == reminder.key
    assert group_for_digest([back], date(2026, 3, 11)).today == (back,)
    [later] = apply_states([reminder], states, date(2026, 3, 12))
    assert group_for_digest([later], date(2026, 3, 12)).overdue == (later,)


def test_snooze_before_the_due_date_keeps_the_due_date() -> None:
    facts = make_case(contacts=(letter(date(2026, 3, 2)),))
    [reminder] = of_kind(facts, date(2026, 3, 30), Kind.CONTACT_FOLLOWUP, horizon_days=7)
    states = {reminder.key: ReminderState(snoozed_until=date(2026, 3, 31))}
    [back] = apply_states([reminder], states, date(2026, 3, 31))
    assert back.due == date(2026, 4, 2)


def test_done_wins_over_snooze_and_states_of_other_keys_are_ignored() -> None:
    [reminder] = of_kind(make_case(), date(2026, 3, 4), Kind.FIRST_CONTACT)
    done = {reminder.key: ReminderState(done=True, snoozed_until=date(2026, 3, 1))}
    assert apply_states([reminder], done, date(2026, 3, 4)) == []
    other = {"first_contact:18:2026-03-02": ReminderState(done=True)}
    assert apply_states([reminder], other, date(2026, 3, 4)) == [reminder]


def test_group_for_digest() -> None:
    facts = make_case(
        measures=(
            measure(measure_id=1, follow_up_on=date(2026, 3, 20)),
            measure(measure_id=2, follow_up_on=date(2026, 3, 23)),
            measure(measure_id=3, follow_up_on=date(2026, 3, 27)),
        )
    )
    today = date(2026, 3, 23)
    digest = group_for_digest(due_reminders(facts, SETTINGS, today), today)
    assert [r.measure_id for r in digest.overdue] == [None, 1]  # first_contact, follow-up 1
    assert [r.kind for r in digest.overdue] == [Kind.FIRST_CONTACT, Kind.MEASURE_FOLLOWUP]
    assert [(r.kind, r.measure_id) for r in digest.today] == [
        (Kind.CONTACT_GOAL, None),
        (Kind.MEASURE_FOLLOWUP, 2),
    ]
    assert [r.measure_id for r in digest.this_week] == [3]
    assert not digest.is_empty
    assert group_for_digest([], today).is_empty


@pytest.mark.parametrize(
    ("holiday", "next_digest"),
    [(date(2026, 12, 24), date(2026, 12, 28)), (date(2026, 6, 19), date(2026, 6, 22))],
)
def test_reminder_due_on_a_no_digest_day_shows_as_overdue_on_the_next_digest(
    holiday: date, next_digest: date
) -> None:
    assert not is_digest_day(holiday)
    assert all(
        not is_digest_day(holiday + timedelta(days=n)) for n in range((next_digest - holiday).days)
    )
    assert is_digest_day(next_digest)
    facts = make_case(measures=(measure(follow_up_on=holiday),))
    day_before = holiday - timedelta(days=1)
    before = group_for_digest(of_kind(facts, day_before, Kind.MEASURE_FOLLOWUP, 7), day_before)
    assert [r.due for r in before.this_week] == [holiday]
    after = group_for_digest(of_kind(facts, next_digest, Kind.MEASURE_FOLLOWUP, 7), next_digest)
    assert [r.due for r in after.overdue] == [holiday]


# settings


def test_default_settings_match_the_routine() -> None:
    assert RoutineSettings.from_mapping(None) == RoutineSettings.from_mapping({}) == SETTINGS
    assert SETTINGS.first_contact_working_days == 2
    assert SETTINGS.contact_followup_months == 1
    assert SETTINGS.home_visit_months == 2
    assert SETTINGS.home_visit_followup_months == 1
    assert SETTINGS.contact_goal_weeks == 3
    assert SETTINGS.regular_followup_months == 1
    assert SETTINGS.plan_missing_weeks == 4
    assert SETTINGS.turning_20_days_ahead == 30
    assert SETTINGS.scb_reminder_days_before == (28, 7)
    assert SETTINGS.scb_reminder_working_days_before == 1
    assert SETTINGS.digest_time == time(7, 30)


def test_partial_mapping_keeps_other_defaults_and_round_trips() -> None:
    settings = RoutineSettings.from_mapping(
        {"home_visit_months": 3, "digest_time": "8:05", "scb_reminder_days_before": [7, 28, 7]}
    )
    assert settings.home_visit_months == 3
    assert settings.digest_time == time(8, 5)
    assert settings.scb_reminder_days_before == (28, 7)
    assert settings.contact_followup_months == 1
    stored = settings.to_mapping()
    assert stored["digest_time"] == "08:05"
    assert RoutineSettings.from_mapping(stored) == settings


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact_followup_months": 0}, "contact_followup_months måste vara ett heltal"),
        ({"contact_followup_months": "1"}, "måste vara ett heltal från 1 till 12"),
        ({"home_visit_months": True}, "home_visit_months måste vara ett heltal"),
        ({"turning_20_days_ahead": 1.5}, "turning_20_days_ahead"),
        ({"digest_time": "25:00"}, "digest_time måste vara en tid som 07:30"),
        ({"digest_time": 730}, "digest_time"),
        ({"scb_reminder_days_before": "28"}, "scb_reminder_days_before måste vara en lista"),
        ({"scb_reminder_days_before": [28, -1]}, "scb_reminder_days_before"),
        ({"home_visit_month": 2}, "Okänd inställning: home_visit_month"),
        (["contact_followup_months"], "Rutininställningarna"),
    ],
)
def test_bad_settings_are_rejected_in_swedish(data: object, message: str) -> None:
    with pytest.raises(RoutineSettingsError, match=message):
        RoutineSettings.from_mapping(data)  # type: ignore[arg-type]


def _regular_followup_by_counting(last: date, step: int, today: date, until: date) -> date | None:
    """The follow-up occurrence found one step at a time, as the routine describes it."""
    occurrence = add_months(last, step)
    if occurrence > until:
        return None
    count = 1
    while add_months(last, step * (count + 1)) <= today:
        count += 1
        occurrence = add_months(last, step * count)
    return occurrence


def test_regular_followup_matches_counting_month_by_month() -> None:
    rng = random.Random(20)
    for _ in range(3000):
        step = rng.choice([1, 1, 2, 3, 5, 12])
        settings = RoutineSettings(regular_followup_months=step)
        last = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1000))
        today = last + timedelta(days=rng.randint(0, 900))
        facts = make_case(registered_on=last - timedelta(days=3), contacts=(talk(last),))

        found = [
            r.due
            for r in due_reminders(facts, settings, today, horizon_days=7)
            if r.kind == Kind.REGULAR_FOLLOWUP
        ]

        expected = _regular_followup_by_counting(last, step, today, today + timedelta(days=7))
        assert found == ([] if expected is None else [expected])
