"""The digest goes out at 07:30 Stockholm time on working days, also around the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.reminders import municipalities_due
from scheduler.loading import MunicipalityRow

TZ = "Europe/Stockholm"
DEFAULT = MunicipalityRow(id=1, code="0580", settings={})
EARLY = MunicipalityRow(id=2, code="0581", settings={"routine": {"digest_time": "06:45"}})


@pytest.mark.parametrize(
    ("before", "at"),
    [
        # Monday after the spring change (2026-03-29): CEST, 07:30 = 05:30 UTC.
        (datetime(2026, 3, 30, 5, 29, tzinfo=UTC), datetime(2026, 3, 30, 5, 30, tzinfo=UTC)),
        # Monday after the autumn change (2026-10-25): CET, 07:30 = 06:30 UTC.
        (datetime(2026, 10, 26, 6, 29, tzinfo=UTC), datetime(2026, 10, 26, 6, 30, tzinfo=UTC)),
        # The Friday before each change.
        (datetime(2026, 3, 27, 6, 29, tzinfo=UTC), datetime(2026, 3, 27, 6, 30, tzinfo=UTC)),
        (datetime(2026, 10, 23, 5, 29, tzinfo=UTC), datetime(2026, 10, 23, 5, 30, tzinfo=UTC)),
    ],
)
def test_due_at_0730_local_around_the_dst_changes(before, at):
    assert municipalities_due(before, [DEFAULT], {}, TZ) == []
    assert municipalities_due(at, [DEFAULT], {}, TZ) == [1]


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 3, 29, 5, 30, tzinfo=UTC),  # spring change day, a Sunday
        datetime(2026, 10, 25, 6, 30, tzinfo=UTC),  # autumn change day, a Sunday
        datetime(2026, 12, 24, 9, 0, tzinfo=UTC),  # julafton
        datetime(2026, 6, 19, 9, 0, tzinfo=UTC),  # midsommarafton
    ],
)
def test_no_digest_on_dst_sundays_and_holidays(now):
    assert municipalities_due(now, [DEFAULT, EARLY], {}, TZ) == []


def test_each_municipality_at_its_own_time_and_once_a_day():
    now = datetime(2026, 3, 30, 5, 0, tzinfo=UTC)  # 07:00 CEST
    assert municipalities_due(now, [DEFAULT, EARLY], {}, TZ) == [2]
    assert municipalities_due(now, [DEFAULT, EARLY], {2: date(2026, 3, 30)}, TZ) == []
    # Finished yesterday does not count today: a missed run is caught up.
    assert municipalities_due(now, [DEFAULT, EARLY], {2: date(2026, 3, 27)}, TZ) == [2]


def test_a_broken_routine_setting_falls_back_to_the_default_time():
    broken = MunicipalityRow(id=3, code="0582", settings={"routine": {"digest_time": "25:99"}})
    assert municipalities_due(datetime(2026, 3, 30, 5, 29, tzinfo=UTC), [broken], {}, TZ) == []
    assert municipalities_due(datetime(2026, 3, 30, 5, 30, tzinfo=UTC), [broken], {}, TZ) == [3]
