"""SCB's half-years without an end: every half-year is a period with a deadline by rule."""

from __future__ import annotations

from datetime import date

import pytest

from storage.reports.period import PeriodError, half_year, next_half_year
from storage.scb.periods import ReportingPeriod, default_deadline, reporting_half_year


@pytest.mark.parametrize(
    ("code", "deadline"),
    [
        # The dates the bundled period files held, and the one the municipality was given.
        ("2025H2", date(2026, 2, 16)),
        ("2026H1", date(2026, 9, 14)),
        ("2026H2", date(2027, 2, 15)),
        ("2027H1", date(2027, 9, 13)),
        ("2027H2", date(2028, 2, 14)),
    ],
)
def test_the_default_rule_gives_the_known_deadlines(code, deadline):
    assert default_deadline(half_year(code)) == deadline


def test_every_half_year_for_a_century_has_a_monday_deadline_soon_after_it():
    half = half_year("2025H2")
    for _ in range(200):
        deadline = default_deadline(half)
        assert deadline.weekday() == 0
        assert deadline.month == (9 if half.start.month == 1 else 2)
        assert 13 <= deadline.day <= 19
        assert 40 < (deadline - half.end).days < 90
        half = next_half_year(half)
    assert half.code == "2125H2"


@pytest.mark.parametrize(
    ("today", "code"),
    [
        (date(2027, 1, 1), "2026H2"),
        (date(2027, 6, 30), "2026H2"),
        (date(2027, 7, 1), "2027H1"),
        (date(2027, 9, 1), "2027H1"),
        (date(2028, 2, 1), "2027H2"),
        (date(2028, 2, 29), "2027H2"),
    ],
)
def test_the_half_year_to_report_is_the_latest_that_has_ended(today, code):
    assert reporting_half_year(today).code == code


@pytest.mark.parametrize("text", ["2027", "2027-03", "2026/27", "2027H3", "H1", ""])
def test_only_a_half_year_is_a_half_year(text):
    with pytest.raises(PeriodError, match="halvår"):
        half_year(text)


def test_a_period_says_what_nobody_has_confirmed():
    half = half_year("2027H1")
    period = ReportingPeriod(half.code, half.start, half.end, default_deadline(half))

    assert period.label == "första halvåret 2027"
    assert period.unconfirmed == ("datum", "kodlista")
    confirmed = ReportingPeriod(
        half.code, half.start, half.end, date(2027, 9, 20), True, "2026H2", True
    )
    assert confirmed.unconfirmed == ()
