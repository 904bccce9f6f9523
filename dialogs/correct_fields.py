"""What `ändra` can put right on a saved case, and how each new value is asked and read.

A case is read once (audited) into plain JSON the flow keeps: the youth's details, the
guardians, and every contact, occupation, home visit and measure with its current values.
Each changeable field has a spec saying how its new value is asked — with the same parsing
as when it was first entered (dates, choices, a youth's fields by storage.youth_fields, free
text with the sensitive-data warning) — while the case API checks the rules again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from dialogs.choices import parse_yes_no
from dialogs.engine import Reply, Step
from dialogs.occupation import parse_extent
from dialogs.steps import choice_step, date_step, field_step, text_step
from storage import codes
from storage.case_views import CaseView
from storage.history import FIELD_NAMES, Record
from storage.youth_fields import ADDRESS_FIELDS, GUARDIAN_FIELDS, YOUTH_FIELDS, FieldRule, Kind

NEW = "ny"
REMOVE = "ta_bort"
CANCEL = "avbryt"
# The step keys the new value is kept under: free text, or a value of a particular form.
NEW_TEXT = "new_text"
NEW_VALUE = "new_value"


class Form(StrEnum):
    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes_no"
    EXTENT = "extent"


@dataclass(frozen=True)
class Spec:
    """How one field's new value is asked: its form, and what that form needs."""

    form: Form
    when: str = "any"
    options: dict[str, str] = field(default_factory=dict)
    optional: bool = False
    # A youth's or guardian's field: checked by storage.youth_fields.
    rule: FieldRule | None = None

    @property
    def free_text(self) -> bool:
        return self.form == Form.TEXT and (self.rule is None or self.rule.kind in _FREE)


_FREE = (Kind.NAME, Kind.TEXT)
_TEXT = Spec(Form.TEXT, optional=True)

# What the first question offers, the youth's details first, contact details at the top.
YOUTH_TARGETS = (
    "phone", "email", "address", "postal_code", "city", "first_name", "last_name",
    "protected_identity", "school",
)  # fmt: skip
TARGETS = {
    **{key: FIELD_NAMES[key] for key in YOUTH_TARGETS},
    Record.GUARDIAN.value: "vårdnadshavare",
    Record.CONTACT.value: "kontakt",
    Record.OCCUPATION.value: "sysselsättning",
    Record.PLAN.value: "planens uppföljning",
    Record.HOME_VISIT.value: "hembesök",
    Record.MEASURE.value: "insats",
}
REMOVABLE = (Record.GUARDIAN, Record.CONTACT, Record.OCCUPATION, Record.HOME_VISIT, Record.MEASURE)

SPECS: dict[str, dict[str, Spec]] = {
    Record.YOUTH: {
        **{
            key: Spec(Form.TEXT, rule=rule, optional=not rule.required)
            for key, rule in YOUTH_FIELDS.items()
        },
        "protected_identity": Spec(Form.YES_NO),
    },
    Record.GUARDIAN: {
        key: Spec(Form.TEXT, rule=rule, optional=not rule.required)
        for key, rule in GUARDIAN_FIELDS.items()
    },
    Record.CONTACT: {
        "occurred_on": Spec(Form.DATE, when="past"),
        "channel": Spec(Form.CHOICE, options=codes.CONTACT_CHANNELS),
        "counterpart": Spec(Form.CHOICE, options=codes.COUNTERPARTS),
        "outcome": Spec(Form.CHOICE, options=codes.CONTACT_OUTCOMES),
        "note": _TEXT,
    },
    Record.OCCUPATION: {
        "kind": Spec(Form.CHOICE, options=codes.OCCUPATIONS),
        "extent_percent": Spec(Form.EXTENT),
        "valid_from": Spec(Form.DATE),
        "note": _TEXT,
    },
    Record.PLAN: {"follow_up_on": Spec(Form.DATE, when="future")},
    Record.HOME_VISIT: {
        "planned_on": Spec(Form.DATE),
        "notice_sent_on": Spec(Form.DATE, when="past", optional=True),
        "visited_on": Spec(Form.DATE, when="past"),
        "outcome": Spec(Form.CHOICE, options=codes.HOME_VISIT_OUTCOMES),
        "note": _TEXT,
    },
    Record.MEASURE: {
        "starts_on": Spec(Form.DATE),
        "ends_on": Spec(Form.DATE, optional=True),
        "follow_up_on": Spec(Form.DATE, when="future"),
        "evaluate_on": Spec(Form.DATE, when="future"),
        "description": _TEXT,
        "goal": _TEXT,
        "youth_responsibility": _TEXT,
        "municipality_responsibility": _TEXT,
        "other_actor": _TEXT,
        "other_actor_responsibility": _TEXT,
    },
}  # fmt: skip
_MADE_ONLY = ("visited_on", "outcome")
_MEASURE_DATES = ("starts_on", "ends_on", "follow_up_on", "evaluate_on")


def kind_of(target: str) -> str:
    """The record a first answer is about: the youth for one of its fields."""
    return Record.YOUTH.value if target in YOUTH_TARGETS else target


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _values(row: Any, names: Any) -> dict[str, Any]:
    return {
        name: _iso(value) if isinstance(value, date) else value
        for name, value in ((name, getattr(row, name)) for name in names)
    }


def case_records(case: CaseView, types: dict[str, str]) -> dict[str, Any]:
    """A read case as the plain JSON the flow keeps: each record's label and values."""
    youth = case.youth
    contacts = sorted(case.contacts, key=lambda c: (c.occurred_on, c.id), reverse=True)
    records: dict[str, Any] = {
        Record.YOUTH: {
            **_values(youth, [key for key in YOUTH_FIELDS if key != "school"]),
            "school": case.school,
            "protected_identity": youth.protected_identity,
        },
        Record.GUARDIAN: {
            str(g.id): {"label": g.name, **_values(g, GUARDIAN_FIELDS)} for g in case.guardians
        },
        Record.CONTACT: {
            str(c.id): {
                "label": f"{c.occurred_on} {codes.label(codes.CONTACT_CHANNELS, c.channel)}, "
                f"{codes.label(codes.COUNTERPARTS, c.counterpart)}, "
                f"{codes.label(codes.CONTACT_OUTCOMES, c.outcome)}",
                **_values(c, SPECS[Record.CONTACT]),
            }
            for c in contacts
        },
        Record.OCCUPATION: {
            str(o.id): {
                "label": f"{codes.label(codes.OCCUPATIONS, o.kind)} från {o.valid_from}",
                **_values(o, SPECS[Record.OCCUPATION]),
            }
            for o in case.occupations
        },
        Record.HOME_VISIT: {
            str(v.id): {
                "label": f"gjort {v.visited_on}" if v.visited_on else f"planerat {v.planned_on}",
                "made": v.visited_on is not None,
                **_values(v, SPECS[Record.HOME_VISIT]),
            }
            for v in case.home_visits
        },
        Record.MEASURE: {
            str(m.id): {
                "label": f"{codes.label(types, m.measure_type)}"
                + (f", start {m.starts_on}" if m.starts_on else "")
                + (" (avbruten)" if m.cancelled else " (avslutad)" if m.ended_on else ""),
                "ended": m.ended_on is not None,
                **_values(m, SPECS[Record.MEASURE]),
            }
            for m in case.measures
        },
    }
    if case.plans:
        latest = case.plans[-1]
        records[Record.PLAN] = {"follow_up_on": _iso(latest.follow_up_on)}
    return records


def targets(records: dict[str, Any], removing: bool) -> dict[str, str]:
    """What the first question offers: what this case has to change (or to remove)."""
    protected = records[Record.YOUTH]["protected_identity"]
    offered = {}
    for target, label in TARGETS.items():
        kind = kind_of(target)
        if removing and kind not in REMOVABLE:
            continue
        # A guardian can be added where there is none; other records must be there.
        missing = not records.get(kind) and (removing or kind != Record.GUARDIAN)
        if (protected and target in ADDRESS_FIELDS) or (kind != Record.YOUTH and missing):
            continue
        offered[target] = label
    return offered


def fields(kind: str, record: dict[str, Any]) -> dict[str, str]:
    """The fields of one record that can be changed: a home visit not yet made has no day
    or outcome to correct, an ended measure's dates stay as they were."""
    return {
        name: FIELD_NAMES[name]
        for name in SPECS[kind]
        if not (kind == Record.HOME_VISIT and name in _MADE_ONLY and not record.get("made"))
        and not (kind == Record.MEASURE and record.get("ended") and name in _MEASURE_DATES)
    }


def shown(value: Any, spec: Spec) -> str:
    if value in (None, ""):
        return "–"
    if spec.form == Form.YES_NO:
        return "ja" if value else "nej"
    if spec.form == Form.CHOICE:
        return codes.label(spec.options, str(value))
    if spec.form == Form.EXTENT:
        return "heltid" if value == 100 else f"{value} %"
    return str(value)


def value_step(key: str, kind: str, name: str, current: Any) -> Step:
    """A step that asks for and reads the field's new value, as its own flow would."""
    spec = SPECS[kind][name]
    label = FIELD_NAMES[name]
    question = f"Vad ska {label} vara? (nu: {shown(current, spec)})"
    clear = " Skriv - för att ta bort uppgiften." if spec.optional else ""
    if spec.rule is not None:
        return field_step(key, spec.rule, label.capitalize(), question + clear, question)
    if spec.form == Form.DATE:
        return date_step(
            key, label, question + clear, question, when=spec.when, optional=spec.optional
        )
    if spec.form == Form.CHOICE:
        return choice_step(key, label, question, spec.options, question)
    if spec.form == Form.TEXT:
        return text_step(key, label, question, question, optional=True)
    if spec.form == Form.EXTENT:
        return Step(key, label, lambda _data: _ask(question), parse_extent, question)
    return Step(
        key,
        label,
        lambda _data: _ask(question + " Svara **ja** eller **nej**.", "ja", "nej"),
        lambda turn, _data: parse_yes_no(turn, key),
        question,
    )


def _ask(text: str, *suggestions: str) -> Reply:
    return Reply(text=text, suggestions=suggestions)


def stored(value: Any, kind: str, name: str) -> Any:
    """A parsed answer as the case API takes it (dates as dates, a yes as True)."""
    spec = SPECS[kind][name]
    if spec.form == Form.DATE:
        return date.fromisoformat(value) if value else None
    return value
