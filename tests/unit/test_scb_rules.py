"""The SCB reminders: the deadline's stages, and what admins are asked to confirm."""

from datetime import date

from scheduler.rules import DueReminder, Kind, ReminderState, apply_states
from scheduler.scb_rules import scb_confirm_reminders, scb_deadline_reminders
from storage.routine import RoutineSettings
from storage.scb.periods import ReportingPeriod

SETTINGS = RoutineSettings()


def period(deadline: date, **confirmed: object) -> ReportingPeriod:
    return ReportingPeriod(
        code="2026H1",
        start=date(2026, 1, 1),
        end=date(2026, 6, 30),
        deadline=deadline,
        **confirmed,  # type: ignore[arg-type]
    )


def scb(deadline: date, today: date, incomplete: int | None = 12) -> list[DueReminder]:
    return scb_deadline_reminders([period(deadline)], SETTINGS, today, {"2026H1": incomplete})


def test_scb_four_weeks_one_week_and_one_working_day_before() -> None:
    deadline = date(2026, 9, 14)  # a Monday
    expected = [
        (date(2026, 8, 16), None),
        (date(2026, 8, 17), ("days_28", date(2026, 8, 17))),
        (date(2026, 9, 6), ("days_28", date(2026, 8, 17))),
        (date(2026, 9, 7), ("days_7", date(2026, 9, 7))),
        (date(2026, 9, 10), ("days_7", date(2026, 9, 7))),
        # one working day before a Monday is the Friday before the weekend
        (date(2026, 9, 11), ("working_days_1", date(2026, 9, 11))),
        (date(2026, 9, 14), ("working_days_1", date(2026, 9, 11))),
        (date(2026, 9, 15), None),
    ]
    for today, stage in expected:
        reminders = scb(deadline, today)
        if stage is None:
            assert reminders == [], today
        else:
            [reminder] = reminders
            assert (reminder.variant, reminder.due) == stage, today


def test_scb_working_day_before_skips_christmas() -> None:
    deadline = date(2026, 12, 28)  # Monday after julafton, juldagen, annandag jul
    assert [r.variant for r in scb(deadline, date(2026, 12, 22))] == ["days_7"]
    [reminder] = scb(deadline, date(2026, 12, 23))
    assert (reminder.variant, reminder.due) == ("working_days_1", date(2026, 12, 23))


def test_scb_calendar_day_stage_on_a_holiday_moves_to_the_working_day_before() -> None:
    deadline = date(2027, 1, 7)  # a week before is nyårsafton
    assert [r.variant for r in scb(deadline, date(2026, 12, 29))] == ["days_28"]
    [week] = scb(deadline, date(2026, 12, 30))
    assert (week.variant, week.due) == ("days_7", date(2026, 12, 30))
    # trettondedag jul on 6 January is skipped too
    [last] = scb(deadline, date(2027, 1, 5))
    assert (last.variant, last.due) == ("working_days_1", date(2027, 1, 5))


def test_scb_reminder_content_and_key() -> None:
    [reminder] = scb(date(2026, 9, 14), date(2026, 8, 17), incomplete=12)
    assert reminder.kind == Kind.SCB_DEADLINE == "scb_deadline"
    assert reminder.case_id is None
    assert reminder.period_code == "2026H1"
    assert reminder.key == "scb_deadline:2026H1:2026-09-14:days_28"
    assert "första halvåret 2026" in reminder.detail
    assert "2026-09-14" in reminder.detail
    assert "12 ärenden saknar" in reminder.detail
    [next_day] = scb(date(2026, 9, 14), date(2026, 8, 18), incomplete=11)
    assert next_day.key == reminder.key
    assert "1 ärende saknar" in scb(date(2026, 9, 14), date(2026, 8, 17), 1)[0].detail
    assert "Alla ärenden" in scb(date(2026, 9, 14), date(2026, 8, 17), 0)[0].detail
    assert "Ingen installerad kodlista" in scb(date(2026, 9, 14), date(2026, 8, 17), None)[0].detail
    assert "enligt standardregeln, ej bekräftat" in reminder.detail
    [confirmed] = scb_deadline_reminders(
        [period(date(2026, 9, 14), deadline_confirmed=True)], SETTINGS, date(2026, 8, 17), {}
    )
    assert "standardregeln" not in confirmed.detail


def test_scb_stages_follow_the_settings() -> None:
    settings = RoutineSettings.from_mapping(
        {"scb_reminder_days_before": [14], "scb_reminder_working_days_before": 2}
    )
    deadline = date(2026, 9, 14)
    periods = [period(deadline)]
    assert scb_deadline_reminders(periods, settings, date(2026, 8, 30), {}) == []
    [first] = scb_deadline_reminders(periods, settings, date(2026, 8, 31), {})
    assert first.variant == "days_14"
    [last] = scb_deadline_reminders(periods, settings, date(2026, 9, 10), {})
    assert (last.variant, last.due) == ("working_days_2", date(2026, 9, 10))


def test_scb_done_stage_does_not_bring_back_the_earlier_one() -> None:
    deadline = date(2026, 9, 14)
    [week] = scb(deadline, date(2026, 9, 8))
    states = {week.key: ReminderState(done=True)}
    assert apply_states(scb(deadline, date(2026, 9, 8)), states, date(2026, 9, 8)) == []
    [last] = apply_states(scb(deadline, date(2026, 9, 11)), states, date(2026, 9, 11))
    assert last.variant == "working_days_1"


def test_admins_are_asked_eight_weeks_ahead_until_the_deadline() -> None:
    deadline = date(2027, 9, 13)  # eight weeks before is Monday 19 July
    unconfirmed = ReportingPeriod(
        "2027H1", date(2027, 1, 1), date(2027, 6, 30), deadline, False, "2026H2", False
    )

    assert scb_confirm_reminders([unconfirmed], date(2027, 7, 16)) == []
    [ask] = scb_confirm_reminders([unconfirmed], date(2027, 7, 19))
    assert scb_confirm_reminders([unconfirmed], deadline) != []
    assert scb_confirm_reminders([unconfirmed], date(2027, 9, 14)) == []
    assert ask.kind == Kind.SCB_CONFIRM and ask.case_id is None and ask.due == date(2027, 7, 19)
    assert ask.key == "scb_confirm:2027H1:2027-09-13:datum+kodlista"
    assert "scb datum 2027H1" in ask.detail and "scb kodlista 2027H1" in ask.detail
    assert "2026H2 används" in ask.detail


def test_what_is_confirmed_is_not_asked_again() -> None:
    deadline = date(2027, 9, 13)
    today = date(2027, 8, 2)
    dated = period(deadline, deadline_confirmed=True, code_list="2026H2")
    listed = period(deadline, code_list="2026H2", code_list_confirmed=True)
    both = period(deadline, deadline_confirmed=True, code_list="2026H2", code_list_confirmed=True)

    [only_list] = scb_confirm_reminders([dated], today)
    [only_date] = scb_confirm_reminders([listed], today)
    assert only_list.variant == "kodlista" and "scb datum" not in only_list.detail
    assert only_date.variant == "datum" and "scb kodlista" not in only_date.detail
    assert scb_confirm_reminders([both], today) == []
