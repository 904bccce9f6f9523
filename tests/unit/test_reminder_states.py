"""Reminders marked done or snoozed, and the digest's grouping of what is due."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler.calendar import is_digest_day
from scheduler.rules import Kind, ReminderState, apply_states, due_reminders, group_for_digest
from tests.unit.reminder_cases import SETTINGS, letter, make_case, measure, of_kind


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
