"""The routine's settings: the defaults are the routine's, a stored mapping round-trips, a bad
one is refused in Swedish."""

from __future__ import annotations

from datetime import time

import pytest

from storage.routine import RoutineSettings, RoutineSettingsError

SETTINGS = RoutineSettings()


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
