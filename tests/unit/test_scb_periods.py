from datetime import date
from pathlib import Path

import pytest

from storage.scb import PeriodFileError, ReportingPeriod, load_periods, period_for

VALID = """
[period]
code = "{code}"
start = {start}
end = {end}
deadline = {deadline}
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def valid_text(
    code: str = "2026H1",
    start: str = "2026-01-01",
    end: str = "2026-06-30",
    deadline: str = "2026-09-14",
) -> str:
    return VALID.format(code=code, start=start, end=end, deadline=deadline)


def test_bundled_periods_are_sorted_half_years_with_later_deadlines() -> None:
    periods = load_periods()
    codes = [p.code for p in periods]
    assert {"2025H2", "2026H1", "2026H2"} <= set(codes)
    assert [p.start for p in periods] == sorted(p.start for p in periods)
    for period in periods:
        assert period.start.day == 1 and period.start.month in (1, 7)
        assert period.deadline > period.end
    h1 = next(p for p in periods if p.code == "2026H1")
    assert (h1.start, h1.end) == (date(2026, 1, 1), date(2026, 6, 30))


def test_load_periods_returns_a_fresh_list() -> None:
    first = load_periods()
    first.clear()
    assert load_periods() != []


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (date(2026, 1, 1), "2026H1"),
        (date(2026, 3, 29), "2026H1"),
        (date(2026, 6, 30), "2026H1"),
        (date(2026, 7, 1), "2026H2"),
        (date(2026, 12, 31), "2026H2"),
        (date(2025, 12, 24), "2025H2"),
    ],
)
def test_period_for_bundled_day(day: date, code: str) -> None:
    period = period_for(day)
    assert period is not None
    assert period.code == code
    assert period.contains(day)


def test_period_for_uncovered_day_is_none() -> None:
    assert period_for(date(1999, 3, 1)) is None


def test_period_for_given_periods() -> None:
    own = [
        ReportingPeriod("2030H2", date(2030, 7, 1), date(2030, 12, 31), date(2031, 2, 17)),
    ]
    assert period_for(date(2030, 8, 1), own) == own[0]
    assert period_for(date(2026, 3, 1), own) is None


def test_load_from_directory_sorts_and_keeps_room_for_code_lists(tmp_path: Path) -> None:
    write(
        tmp_path,
        "2026H2.toml",
        valid_text("2026H2", "2026-07-01", "2026-12-31", "2027-02-15")
        + '\n[codes.orsak_registrering]\n"10" = "Avbrott"\n',
    )
    write(tmp_path, "2026H1.toml", valid_text())
    write(tmp_path, "README.md", "not a period")
    periods = load_periods(tmp_path)
    assert periods == [
        ReportingPeriod("2026H1", date(2026, 1, 1), date(2026, 6, 30), date(2026, 9, 14)),
        ReportingPeriod("2026H2", date(2026, 7, 1), date(2026, 12, 31), date(2027, 2, 15)),
    ]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("2026H1.toml", "[period\ncode = 1", "går inte att läsa"),
        ("2026H1.toml", 'code = "2026H1"\n', r"saknar tabellen \[period\]"),
        ("2026H1.toml", valid_text(code="2026-1"), "code måste vara år och halvår"),
        ("2026H2.toml", valid_text(), "ska heta 2026H1.toml"),
        ("2026H1.toml", valid_text(deadline='"2026-09-14"'), r"\[period\]\.deadline"),
        ("2026H1.toml", valid_text(deadline="2026-09-14T10:00:00"), "deadline saknas"),
        ("2026H1.toml", valid_text().replace("deadline", "dedline"), "deadline saknas"),
        ("2026H1.toml", valid_text(end="2026-07-31"), "ska gå från 2026-01-01 till 2026-06-30"),
        ("2026H1.toml", valid_text(deadline="2026-06-30"), "deadline ska ligga efter"),
    ],
)
def test_malformed_file_gives_a_clear_error(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    write(tmp_path, name, text)
    with pytest.raises(PeriodFileError, match=message) as error:
        load_periods(tmp_path)
    assert f"SCB-periodfilen {name}" in str(error.value)
