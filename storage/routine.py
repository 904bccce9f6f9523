"""The municipality's contact routine: every reminder interval as a setting, validated here.

Stored as ``Municipality.settings["routine"]`` (only the keys someone set; the rest keep
the documented defaults). ``RoutineService.change`` is the only way to change them: the
CLI (`kaa-bot rutin`) or an admin of the municipality in the chat, audited.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator

from storage import access
from storage.audit import Actor
from storage.cases import CaseError
from storage.codes import Role
from storage.municipality_settings import change_setting, find_municipality
from storage.sessions import SessionSource

log = logging.getLogger(__name__)

ROUTINE_SETTING = "routine"
DEFAULT_WORD = "standard"
_TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_SCB_DAYS = (1, 365)


class RoutineSettingsError(CaseError):
    """A routine setting is invalid; the message is Swedish and user-facing."""


def _days(low: int, high: int, description: str) -> Any:
    return Field(ge=low, le=high, description=description)


class RoutineSettings(BaseModel):
    """Per-municipality reminder intervals; the defaults are the documented routine."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    first_contact_working_days: Annotated[
        StrictInt, _days(0, 20, "arbetsdagar från registrering till första kontaktförsöket")
    ] = 2
    contact_followup_months: Annotated[
        StrictInt, _days(1, 12, "månader från första försöket till nästa utan kontakt")
    ] = 1
    home_visit_months: Annotated[
        StrictInt, _days(1, 12, "månader från första försöket till hembesöket utan kontakt")
    ] = 2
    home_visit_followup_months: Annotated[
        StrictInt, _days(1, 12, "månader från ett hembesök utan kontakt till nästa försök")
    ] = 1
    contact_goal_weeks: Annotated[
        StrictInt, _days(1, 26, "veckor från registrering till målet om etablerad kontakt")
    ] = 3
    regular_followup_months: Annotated[
        StrictInt, _days(1, 12, "månader mellan uppföljningarna efter etablerad kontakt")
    ] = 1
    plan_missing_weeks: Annotated[
        StrictInt, _days(1, 52, "veckor från första kontakten till kartläggningen")
    ] = 4
    turning_20_days_ahead: Annotated[
        StrictInt, _days(1, 365, "dagar före 20-årsdagen som avslutet förbereds")
    ] = 30
    scb_reminder_days_before: tuple[int, ...] = Field(
        (28, 7), description="dagar före SCB:s sista dag som påminnelser kommer"
    )
    scb_reminder_working_days_before: Annotated[
        StrictInt, _days(1, 20, "arbetsdagar före SCB:s sista dag för sista påminnelsen")
    ] = 1
    digest_time: time = Field(time(7, 30), description="när den dagliga sammanfattningen kommer")

    @field_validator("scb_reminder_days_before", mode="before")
    @classmethod
    def _days_list(cls, raw: Any) -> tuple[int, ...]:
        low, high = _SCB_DAYS
        if isinstance(raw, str | bytes) or not isinstance(raw, list | tuple):
            raise ValueError("list")
        if not raw or any(
            isinstance(day, bool) or not isinstance(day, int) or not low <= day <= high
            for day in raw
        ):
            raise ValueError("list")
        return tuple(sorted(set(raw), reverse=True))

    @field_validator("digest_time", mode="before")
    @classmethod
    def _clock(cls, raw: Any) -> time:
        if isinstance(raw, time):
            return raw.replace(second=0, microsecond=0, tzinfo=None)
        match = _TIME_PATTERN.match(raw) if isinstance(raw, str) else None
        if match is None:
            raise ValueError("time")
        return time(int(match.group(1)), int(match.group(2)))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> RoutineSettings:
        """Settings from a stored (possibly partial) JSON object; missing keys keep their
        defaults, an unknown or invalid one raises RoutineSettingsError (Swedish)."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise RoutineSettingsError("Rutininställningarna måste vara namn med värden.")
        try:
            return cls.model_validate(dict(data))
        except ValidationError as error:
            raise RoutineSettingsError(_swedish(error)) from error

    def to_mapping(self) -> dict[str, Any]:
        """The settings as JSON-ready values, accepted back by from_mapping."""
        return {name: _stored(getattr(self, name)) for name in type(self).model_fields}


def _stored(value: object) -> object:
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, tuple):
        return list(value)
    return value


def _swedish(error: ValidationError) -> str:
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    if first["type"] == "extra_forbidden":
        unknown = sorted(str(e["loc"][0]) for e in error.errors() if e["type"] == first["type"])
        return f"Okänd inställning: {', '.join(unknown)}."
    if name == "digest_time":
        return "Inställningen digest_time måste vara en tid som 07:30."
    if name == "scb_reminder_days_before":
        low, high = _SCB_DAYS
        return (
            "Inställningen scb_reminder_days_before måste vara en lista med antal dagar "
            f"från {low} till {high}, till exempel 28,7."
        )
    low, high = bounds(name)
    return f"Inställningen {name} måste vara ett heltal från {low} till {high}."


def bounds(name: str) -> tuple[int, int]:
    """The allowed range of an integer setting."""
    metadata = RoutineSettings.model_fields[name].metadata
    low = next(m.ge for m in metadata if hasattr(m, "ge"))
    high = next(m.le for m in metadata if hasattr(m, "le"))
    return low, high


@dataclass(frozen=True)
class SettingRow:
    """One setting as `hjälp rutin` and `kaa-bot rutin` show it."""

    name: str
    value: str
    default: str
    description: str
    allowed: str

    @property
    def changed(self) -> bool:
        return self.value != self.default


def describe(routine: RoutineSettings) -> list[SettingRow]:
    """Every setting with its value, its default, a Swedish description and what is allowed."""
    current, defaults = routine.to_mapping(), RoutineSettings().to_mapping()
    rows = []
    for name, field in RoutineSettings.model_fields.items():
        if name == "digest_time":
            allowed = "en tid, t.ex. 07:30"
        elif name == "scb_reminder_days_before":
            allowed = "antal dagar med komma emellan, t.ex. 28,7"
        else:
            low, high = bounds(name)
            allowed = f"{low}–{high}"
        value, default = _shown(current[name]), _shown(defaults[name])
        rows.append(SettingRow(name, value, default, field.description or "", allowed))
    return rows


def _shown(value: object) -> str:
    return ",".join(str(v) for v in value) if isinstance(value, list) else str(value)


def parse_assignment(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` as typed in the CLI or the chat (spaces around ``=`` allowed)."""
    name, equals, value = text.partition("=")
    if not equals or not name.strip():
        raise RoutineSettingsError(
            f"Skriv inställningen som namn=värde, till exempel contact_followup_months=2 "
            f"(inte {text.strip()!r})."
        )
    return name.strip(), value.strip()


def _typed(name: str, text: str) -> object:
    """A typed value from text: whole numbers, a list of days, a clock time."""
    field = RoutineSettings.model_fields.get(name)
    if field is None or name == "digest_time":
        return text
    if name == "scb_reminder_days_before":
        parts = [part.strip() for part in text.strip("[]").split(",")]
        return [int(part) if part.isdigit() else part for part in parts]
    return int(text) if re.fullmatch(r"-?\d+", text) else text


class HasRoutine(Protocol):
    """A municipality as read for the routine: its id and its stored settings."""

    @property
    def id(self) -> int: ...

    @property
    def settings(self) -> Mapping[str, object] | None: ...


def routine_settings(municipality: HasRoutine) -> RoutineSettings:
    """The municipality's routine; defaults when the stored one is broken, so one mistyped
    setting never stops every other municipality's reminders."""
    raw = (municipality.settings or {}).get(ROUTINE_SETTING)
    try:
        return RoutineSettings.from_mapping(raw if isinstance(raw, Mapping) else None)
    except RoutineSettingsError:
        log.warning("Invalid routine settings in municipality %s; using defaults", municipality.id)
        return RoutineSettings()


class RoutineService:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def current(self, actor: Actor, municipality_code: str | None = None) -> RoutineSettings:
        """The routine in force: the CLI names a municipality, staff see their own."""
        async with self._sessionmaker() as session:
            code = municipality_code if actor.role == Role.SYSTEM else None
            return routine_settings(await find_municipality(session, actor, code))

    async def change(
        self, actor: Actor, assignments: list[str], municipality_code: str | None = None
    ) -> RoutineSettings:
        """Apply ``KEY=VALUE`` assignments (``KEY=standard`` restores the default), all or
        none; the system (CLI) or an admin of the municipality only."""
        access.require(
            actor, access.ADMINISTRATORS, "Det är bara administratörer som kan ändra rutinen."
        )
        if not assignments:
            raise RoutineSettingsError("Ange minst en inställning att ändra, namn=värde.")
        changes = [parse_assignment(text) for text in assignments]

        def changed(stored: object) -> dict[str, object]:
            routine = dict(stored) if isinstance(stored, Mapping) else {}
            for name, value in changes:
                if value.lower() == DEFAULT_WORD and name in RoutineSettings.model_fields:
                    routine.pop(name, None)
                else:
                    routine[name] = _typed(name, value)
            validated = RoutineSettings.from_mapping(routine).to_mapping()
            return {name: value for name, value in validated.items() if name in routine}

        municipality = await change_setting(
            self._sessionmaker,
            actor,
            municipality_code if actor.role == Role.SYSTEM else None,
            ROUTINE_SETTING,
            changed,
            action="municipality.routine",
            detail=": " + ", ".join(f"{name}={value}" for name, value in changes),
            refused="Det är bara administratörer som kan ändra rutinen.",
        )
        return routine_settings(municipality)
