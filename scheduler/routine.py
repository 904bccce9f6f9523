"""The municipality's contact routine: every reminder interval as a setting."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import time
from typing import Any, Protocol

log = logging.getLogger(__name__)


class RoutineSettingsError(ValueError):
    """A stored routine setting is invalid; the message is Swedish and user-facing."""


# Allowed range per integer setting: wide enough for any real routine, narrow
# enough to catch a mistyped value such as 300 months.
_INT_RANGES: dict[str, tuple[int, int]] = {
    "first_contact_working_days": (0, 20),
    "contact_followup_months": (1, 12),
    "home_visit_months": (1, 12),
    "home_visit_followup_months": (1, 12),
    "contact_goal_weeks": (1, 26),
    "regular_followup_months": (1, 12),
    "plan_missing_weeks": (1, 52),
    "turning_20_days_ahead": (1, 365),
    "scb_reminder_working_days_before": (1, 20),
}
_SCB_DAYS_RANGE = (1, 365)
_TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class RoutineSettings:
    """Per-municipality reminder intervals; the defaults are the documented routine."""

    first_contact_working_days: int = 2
    contact_followup_months: int = 1
    home_visit_months: int = 2
    home_visit_followup_months: int = 1
    contact_goal_weeks: int = 3
    regular_followup_months: int = 1
    plan_missing_weeks: int = 4
    turning_20_days_ahead: int = 30
    scb_reminder_days_before: tuple[int, ...] = (28, 7)
    scb_reminder_working_days_before: int = 1
    digest_time: time = time(7, 30)

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any] | None, *, ignore_unknown: bool = False
    ) -> RoutineSettings:
        """Build settings from a stored (possibly partial) JSON object.

        Missing keys keep their defaults. Unknown keys are rejected unless
        ``ignore_unknown`` is set, so a mistyped setting never passes silently.
        Raises RoutineSettingsError with a Swedish message.
        """
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise RoutineSettingsError("Rutininställningarna måste vara namn med värden.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(str(key) for key in data if key not in known)
        if unknown and not ignore_unknown:
            raise RoutineSettingsError(f"Okänd inställning: {', '.join(unknown)}.")
        values: dict[str, Any] = {}
        for name, raw in data.items():
            if name not in known:
                continue
            if name == "digest_time":
                values[name] = _parse_time(raw)
            elif name == "scb_reminder_days_before":
                values[name] = _parse_days_list(raw)
            else:
                low, high = _INT_RANGES[name]
                values[name] = _parse_int(name, raw, low, high)
        return cls(**values)

    def to_mapping(self) -> dict[str, Any]:
        """The settings as JSON-ready values, accepted back by from_mapping."""
        result: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, time):
                result[field.name] = value.strftime("%H:%M")
            elif isinstance(value, tuple):
                result[field.name] = list(value)
            else:
                result[field.name] = value
        return result


def _parse_int(name: str, raw: Any, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        raise RoutineSettingsError(
            f"Inställningen {name} måste vara ett heltal från {low} till {high}."
        )
    return raw


def _parse_days_list(raw: Any) -> tuple[int, ...]:
    low, high = _SCB_DAYS_RANGE
    message = (
        "Inställningen scb_reminder_days_before måste vara en lista med antal dagar "
        f"från {low} till {high}, till exempel [28, 7]."
    )
    if isinstance(raw, str | bytes) or not isinstance(raw, list | tuple):
        raise RoutineSettingsError(message)
    days = [_parse_int("scb_reminder_days_before", item, low, high) for item in raw]
    return tuple(sorted(set(days), reverse=True))


def _parse_time(raw: Any) -> time:
    if isinstance(raw, time):
        return raw.replace(second=0, microsecond=0, tzinfo=None)
    match = _TIME_PATTERN.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise RoutineSettingsError("Inställningen digest_time måste vara en tid som 07:30.")
    return time(int(match.group(1)), int(match.group(2)))


class HasRoutine(Protocol):
    """A municipality as read for the routine: its id and its stored settings."""

    @property
    def id(self) -> int: ...

    @property
    def settings(self) -> Mapping[str, object] | None: ...


def routine_settings(municipality: HasRoutine) -> RoutineSettings:
    """The municipality's routine (``settings["routine"]``); defaults when it is broken, so one
    mistyped setting never stops every other municipality's reminders."""
    raw = (municipality.settings or {}).get("routine")
    try:
        return RoutineSettings.from_mapping(raw if isinstance(raw, Mapping) else None)
    except RoutineSettingsError:
        log.warning("Invalid routine settings in municipality %s; using defaults", municipality.id)
        return RoutineSettings()
