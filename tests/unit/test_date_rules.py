"""The date rules the case API runs before every write, as pure functions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage import date_rules
from storage.case_errors import CaseError, NeedsConfirmation

TODAY = date(2026, 3, 18)
REGISTERED = date(2026, 1, 10)
BIRTH = date(2008, 5, 17)
TOMORROW = TODAY + timedelta(days=1)
YESTERDAY = TODAY - timedelta(days=1)


def test_what_happened_cannot_lie_in_the_future():
    date_rules.happened(TODAY, TODAY, "En kontakt")
    with pytest.raises(CaseError, match=r"En kontakt kan inte ligga i framtiden \(2026-03-19\)"):
        date_rules.happened(TOMORROW, TODAY, "En kontakt")


def test_what_is_planned_cannot_lie_behind():
    date_rules.planned(TODAY, TODAY, "Uppföljningen")
    with pytest.raises(CaseError, match="planerat datum"):
        date_rules.planned(YESTERDAY, TODAY, "Uppföljningen")


def test_a_contact_before_the_registration_is_asked_about_not_refused():
    date_rules.contact(REGISTERED, REGISTERED, TODAY, confirmed=False)
    with pytest.raises(NeedsConfirmation, match="skolans första samtal"):
        date_rules.contact(REGISTERED - timedelta(days=3), REGISTERED, TODAY, confirmed=False)
    date_rules.contact(REGISTERED - timedelta(days=3), REGISTERED, TODAY, confirmed=True)
    with pytest.raises(CaseError) as refused:
        date_rules.contact(TOMORROW, REGISTERED, TODAY, confirmed=True)
    assert not isinstance(refused.value, NeedsConfirmation)


def test_an_occupation_ahead_is_asked_about():
    date_rules.occupation(REGISTERED - timedelta(days=100), TODAY, confirmed=False)
    with pytest.raises(NeedsConfirmation, match="inte har varit än"):
        date_rules.occupation(date(2026, 8, 17), TODAY, confirmed=False)
    date_rules.occupation(date(2026, 8, 17), TODAY, confirmed=True)


def test_registration_is_in_the_past_and_in_the_target_group_on_its_day():
    date_rules.registration(TODAY, BIRTH, TODAY)
    with pytest.raises(CaseError, match="framtiden"):
        date_rules.registration(TOMORROW, BIRTH, TODAY)
    with pytest.raises(CaseError, match="skolpliktig"):
        date_rules.registration(date(2024, 6, 1), BIRTH, TODAY)
    with pytest.raises(CaseError, match="fyllt 20"):
        date_rules.registration(date(2028, 5, 17), BIRTH, date(2028, 6, 1))
    with pytest.raises(CaseError, match="förra ärendets avslut"):
        date_rules.new_period(date(2026, 2, 1), date(2026, 2, 2))


def test_consents_and_their_withdrawal():
    date_rules.consent(REGISTERED, REGISTERED, TODAY)
    with pytest.raises(CaseError, match="före registreringen"):
        date_rules.consent(REGISTERED - timedelta(days=1), REGISTERED, TODAY)
    with pytest.raises(CaseError, match="framtiden"):
        date_rules.consent(TOMORROW, REGISTERED, TODAY)
    with pytest.raises(CaseError, match="före den dag det gavs"):
        date_rules.withdrawal(date(2026, 2, 1), date(2026, 2, 2), TODAY)
    with pytest.raises(CaseError, match="framtiden"):
        date_rules.withdrawal(TOMORROW, date(2026, 2, 2), TODAY)


def _measure(**dates: date | None) -> dict[str, date | None]:
    return {"starts_on": date(2026, 3, 1), "ends_on": None} | dates


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (_measure(starts_on=date(2026, 1, 1)), r"Insatsen \(2026-01-01\) kan inte ligga före"),
        (_measure(ends_on=date(2026, 2, 28)), "Slutdatumet kan inte ligga före startdatumet"),
        (_measure(follow_up_on=YESTERDAY), "planerat datum"),
        (
            _measure(evaluate_on=date(2026, 4, 1), follow_up_on=date(2026, 5, 1)),
            "före uppföljningen",
        ),
        (_measure(starts_on=date(2026, 6, 1), follow_up_on=date(2026, 4, 1)), "insatsens start"),
    ],
)
def test_a_measure_s_dates(dates, message):
    with pytest.raises(CaseError, match=message):
        date_rules.measure(dates, declined=False, registered_on=REGISTERED, today=TODAY)


def test_planned_days_are_checked_against_today_only_when_they_change():
    passed = _measure(follow_up_on=date(2026, 3, 5))
    date_rules.measure(
        passed, declined=False, registered_on=REGISTERED, today=TODAY, changed=frozenset({"goal"})
    )
    with pytest.raises(CaseError, match="Dagen då insatsen erbjöds"):
        date_rules.measure(
            _measure(starts_on=TOMORROW), declined=True, registered_on=REGISTERED, today=TODAY
        )


def test_ending_cancelling_and_evaluating_a_measure():
    date_rules.measure_end(TODAY, date(2026, 3, 1), TODAY)
    with pytest.raises(CaseError, match="avslutas före sitt startdatum"):
        date_rules.measure_end(date(2026, 2, 1), date(2026, 3, 1), TODAY)
    with pytest.raises(CaseError, match="inte börjat än"):
        date_rules.measure_end(TODAY, date(2026, 4, 1), TODAY)
    date_rules.measure_cancel(date(2026, 4, 1), TODAY)
    with pytest.raises(CaseError, match="redan börjat"):
        date_rules.measure_cancel(TODAY, TODAY)
    with pytest.raises(CaseError, match="Utvärderingen"):
        date_rules.evaluation(date(2026, 2, 1), date(2026, 3, 1), TODAY)
    with pytest.raises(CaseError, match="framtiden"):
        date_rules.evaluation(TOMORROW, date(2026, 3, 1), TODAY)


def test_home_visits():
    date_rules.home_visit_plan(TOMORROW, TODAY, TODAY)
    with pytest.raises(CaseError, match="planerat datum"):
        date_rules.home_visit_plan(YESTERDAY, None, TODAY)
    with pytest.raises(CaseError, match="Aviseringen skickas före"):
        date_rules.home_visit_plan(YESTERDAY, TODAY, TODAY, check_planned=False)
    with pytest.raises(CaseError, match="Aviseringen kan inte ligga i framtiden"):
        date_rules.home_visit_plan(TOMORROW + timedelta(days=5), TOMORROW, TODAY)
    with pytest.raises(CaseError, match="före registreringen"):
        date_rules.home_visit_made(date(2026, 1, 1), REGISTERED, TODAY)
    with pytest.raises(CaseError, match="framtiden"):
        date_rules.home_visit_made(TOMORROW, REGISTERED, TODAY)


@pytest.mark.parametrize(
    ("birth", "closed_on", "allowed"),
    [
        (date(2006, 3, 18), TODAY, True),
        (date(2006, 3, 19), TODAY, False),
        # Born on 29 February: 20 on 1 March in a year without one.
        (date(2008, 2, 29), date(2028, 2, 28), False),
        (date(2008, 2, 29), date(2028, 2, 29), True),
        (date(2007, 2, 28), date(2027, 2, 28), True),
    ],
)
def test_fyllt_20_only_from_the_twentieth_birthday(birth, closed_on, allowed):
    today = max(TODAY, closed_on)
    if allowed:
        date_rules.closing(closed_on, "fyllt_20", date(2025, 9, 1), birth, today)
    else:
        with pytest.raises(CaseError, match="fyller 20 år först"):
            date_rules.closing(closed_on, "fyllt_20", date(2025, 9, 1), birth, today)
    date_rules.closing(closed_on, "flyttat", date(2025, 9, 1), birth, today)


def test_closing_lies_between_the_registration_and_today():
    with pytest.raises(CaseError, match="före registreringen"):
        date_rules.closing(date(2026, 1, 9), "flyttat", REGISTERED, BIRTH, TODAY)
    with pytest.raises(CaseError, match="framtiden"):
        date_rules.closing(TOMORROW, "flyttat", REGISTERED, BIRTH, TODAY)
