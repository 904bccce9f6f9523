from datetime import UTC, date, datetime, time

import pytest

from scheduler.calendar import (
    add_months,
    add_working_days,
    digest_moment,
    is_digest_day,
    is_working_day,
    previous_working_day,
)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 24),  # julafton (Thursday)
        date(2026, 12, 25),  # juldagen
        date(2026, 12, 31),  # nyårsafton
        date(2026, 6, 19),  # midsommarafton (Friday)
        date(2026, 1, 6),  # trettondedag jul
        date(2026, 4, 3),  # långfredagen
        date(2026, 4, 6),  # annandag påsk
        date(2026, 5, 1),  # första maj
        date(2026, 5, 14),  # Kristi himmelsfärdsdag
        date(2026, 3, 28),  # a Saturday
        date(2026, 3, 29),  # a Sunday (and the spring DST change)
    ],
)
def test_holidays_and_weekends_are_not_working_or_digest_days(day: date) -> None:
    assert not is_working_day(day)
    assert not is_digest_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 23),
        date(2026, 12, 28),
        date(2026, 6, 18),
        date(2026, 6, 22),
        date(2026, 3, 30),
        date(2026, 10, 26),
    ],
)
def test_ordinary_weekdays_are_working_and_digest_days(day: date) -> None:
    assert is_working_day(day)
    assert is_digest_day(day)


def test_national_day_on_a_weekday_is_not_a_working_day() -> None:
    assert not is_working_day(date(2025, 6, 6))  # Friday
    assert is_working_day(date(2025, 6, 5))


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (date(2026, 3, 2), 2, date(2026, 3, 4)),  # Monday -> Wednesday
        (date(2026, 3, 5), 2, date(2026, 3, 9)),  # Thursday -> Monday across a weekend
        (date(2026, 3, 6), 2, date(2026, 3, 10)),  # Friday -> Tuesday
        (date(2026, 3, 7), 2, date(2026, 3, 10)),  # Saturday -> Tuesday
        (date(2026, 12, 23), 2, date(2026, 12, 29)),  # across julafton..annandag jul
        (date(2026, 6, 18), 1, date(2026, 6, 22)),  # across midsommar
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # across påsk
        (date(2026, 3, 4), 0, date(2026, 3, 4)),
        (date(2026, 3, 9), -1, date(2026, 3, 6)),  # Monday back to Friday
        (date(2026, 12, 28), -1, date(2026, 12, 23)),  # back across Christmas
    ],
)
def test_add_working_days(start: date, count: int, expected: date) -> None:
    assert add_working_days(start, count) == expected


def test_previous_working_day_skips_weekend_and_holidays() -> None:
    assert previous_working_day(date(2026, 3, 10)) == date(2026, 3, 9)
    assert previous_working_day(date(2026, 3, 9)) == date(2026, 3, 6)
    assert previous_working_day(date(2027, 1, 4)) == date(2026, 12, 30)
    assert previous_working_day(date(2026, 6, 22)) == date(2026, 6, 18)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("day", "expected_utc"),
    [
        (date(2026, 3, 28), datetime(2026, 3, 28, 6, 30, tzinfo=UTC)),  # winter time
        (date(2026, 3, 29), datetime(2026, 3, 29, 5, 30, tzinfo=UTC)),  # DST starts 02:00
        (date(2026, 3, 30), datetime(2026, 3, 30, 5, 30, tzinfo=UTC)),
        (date(2026, 10, 24), datetime(2026, 10, 24, 5, 30, tzinfo=UTC)),  # summer time
        (date(2026, 10, 25), datetime(2026, 10, 25, 6, 30, tzinfo=UTC)),  # DST ends 03:00
        (date(2026, 10, 26), datetime(2026, 10, 26, 6, 30, tzinfo=UTC)),
    ],
)
def test_digest_moment_on_dst_change_days(day: date, expected_utc: datetime) -> None:
    moment = digest_moment(day, time(7, 30))
    assert moment == expected_utc
    assert moment.tzinfo == UTC


def test_digest_moment_other_time_and_zone() -> None:
    assert digest_moment(date(2026, 7, 1), time(8, 0), "Europe/Helsinki") == datetime(
        2026, 7, 1, 5, 0, tzinfo=UTC
    )
