"""The history of corrections: each corrected field with the value it had, and an audit entry
naming the fields (never their values), in the caller's transaction."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.audit import Actor, record
from storage.models import Correction, KaaCase
from storage.youth_fields import FIELD_LABELS, YOUTH_FIELDS

Changes = dict[str, tuple[object, object]]


class Record(StrEnum):
    """The kinds of record a correction or a removal concerns."""

    YOUTH = "youth"
    GUARDIAN = "guardian"
    CONTACT = "contact"
    OCCUPATION = "occupation"
    PLAN = "plan"
    HOME_VISIT = "home_visit"
    MEASURE = "measure"


# The Swedish words for the records and fields a history names.
RECORD_NAMES: dict[str, str] = {
    Record.YOUTH: "ungdomen",
    Record.GUARDIAN: "vårdnadshavare",
    Record.CONTACT: "kontakt",
    Record.OCCUPATION: "sysselsättning",
    Record.PLAN: "plan",
    Record.HOME_VISIT: "hembesök",
    Record.MEASURE: "insats",
}
FIELD_NAMES = {
    **{key: rule.label for key, rule in YOUTH_FIELDS.items()},
    "protected_identity": FIELD_LABELS["protected_identity"],
    "name": "namn",
    "occurred_on": "datum",
    "channel": "kanal",
    "counterpart": "med vem",
    "outcome": "utfall",
    "note": "anteckning",
    "kind": "sysselsättning",
    "extent_percent": "omfattning",
    "valid_from": "gäller från",
    "follow_up_on": "uppföljning",
    "planned_on": "planerat datum",
    "second_staff_id": "följeslagare",
    "notice_sent_on": "avisering",
    "visited_on": "besöksdag",
    "description": "beskrivning",
    "goal": "mål",
    "youth_responsibility": "ungdomens ansvar",
    "municipality_responsibility": "kommunens ansvar",
    "other_actor": "annan aktör",
    "other_actor_responsibility": "den andra aktörens ansvar",
    "starts_on": "start",
    "ends_on": "planerat slut",
    "evaluate_on": "utvärdering",
}


def stored_text(value: object) -> str | None:
    """How a value is kept in the history: dates as 2026-03-15, yes/no as ja/nej."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def apply_changes(row: Any, values: dict[str, object]) -> Changes:
    """Set the values that differ from the row's; returns those as (old, new)."""
    changed: Changes = {}
    for name, value in values.items():
        old = getattr(row, name)
        if old != value:
            setattr(row, name, value)
            changed[name] = (old, value)
    return changed


def write_history(
    session: AsyncSession,
    actor: Actor,
    case: KaaCase,
    kind: Record,
    record_id: int,
    changes: Changes,
) -> None:
    for name, (old, new) in changes.items():
        session.add(
            Correction(
                municipality_id=case.municipality_id,
                youth_id=case.youth_id,
                case_id=case.id,
                record=kind.value,
                record_id=record_id,
                field=name,
                old_value=stored_text(old),
                new_value=stored_text(new),
                staff_id=actor.staff_id,
            )
        )
    record(
        session,
        actor,
        f"{kind.value}.correct",
        case_id=case.id,
        youth_id=case.youth_id,
        detail=f"{kind.value} {record_id}: {', '.join(changes)}",
    )
