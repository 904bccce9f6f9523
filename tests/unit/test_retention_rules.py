"""Gallring rules without a database: the retention setting and the cutoff day."""

from __future__ import annotations

from datetime import date

import pytest

from storage.retention import RetentionSettingError, retention_cutoff, retention_months


def test_retention_cutoff_counts_calendar_months():
    assert retention_cutoff(date(2026, 3, 16), 12) == date(2025, 3, 16)
    assert retention_cutoff(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert retention_cutoff(date(2026, 1, 15), 25) == date(2023, 12, 15)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [(None, None), ({}, None), ({"retention_months": 24}, 24), ({"retention_months": "6"}, 6)],
)
def test_retention_setting(settings, expected):
    assert retention_months(settings) == expected


@pytest.mark.parametrize("value", [0, -3, 1.5, True, "ett år", [12]])
def test_retention_setting_must_be_whole_months(value):
    with pytest.raises(RetentionSettingError):
        retention_months({"retention_months": value})
