import random
from datetime import date, timedelta

from scheduler.calendar import add_months
from scheduler.rules import Kind, Turning20, due_reminders
from storage.routine import RoutineSettings
from tests.histories import Contact, Visit
from tests.unit.reminder_cases import (
    SETTINGS,
    assert_boundary,
    letter,
    make_case,
    measure,
    not_reached,
    of_kind,
    talk,
)

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
