"""Ändra and ta bort: putting a saved case right, with the old value kept in its history.

`ändra Elin` (or the case card's *Ändra*) asks what to change — the youth's details, a
guardian (changed, added or removed), a contact, an occupation, the plan's follow-up, a home
visit or a measure (whose every change is a new revision) — then which one and which field,
and the new value, read as when it was first entered. A measure that has not started can be
called off. `ta bort Elin` removes an entry made by mistake (a duplicate contact), with a
reason; it is kept for the audit trail and counts nowhere else. The summary says what will
change from what; `ja` saves, through the case API, which checks every rule again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from dialogs.choices import choice_list, parse_choice
from dialogs.context import FlowContext
from dialogs.correct_fields import (
    CANCEL,
    NEW,
    NEW_TEXT,
    NEW_VALUE,
    REMOVE,
    SPECS,
    Spec,
    case_records,
    fields,
    kind_of,
    shown,
    stored,
    targets,
    value_step,
)
from dialogs.engine import TODAY, Flow, InputError, Reply, Step, Turn, resolved
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, ViewedCases, case_step
from dialogs.steps import confirm_step, confirmed, field_step, text_step
from storage.case_inputs import GuardianInput
from storage.case_views import CaseBrief
from storage.history import FIELD_NAMES, RECORD_NAMES, Record
from storage.youth_fields import GUARDIAN_FIELDS

NAME = FlowName.CORRECT
REMOVING = "removing"
CHANGE = "change"
_GUARDIAN_STEPS = {"guardian_name": "name", "guardian_phone": "phone", "guardian_email": "email"}


def _removing(data: dict[str, Any]) -> bool:
    return bool(data.get(REMOVING))


def _kind(data: dict[str, Any]) -> str:
    return kind_of(data["target"])


def _choices(data: dict[str, Any]) -> dict[str, str]:
    """The records of the chosen kind, and adding a guardian where that is the kind."""
    kind = _kind(data)
    if kind in (Record.YOUTH, Record.PLAN):
        return {}
    records = {key: record["label"] for key, record in data["records"][kind].items()}
    if kind == Record.GUARDIAN and not _removing(data):
        records[NEW] = "lägg till en vårdnadshavare"
    return records


def _record_id(data: dict[str, Any]) -> str | None:
    """The chosen record; the only one there is when there was nothing to choose."""
    if "record_id" in data:
        return str(data["record_id"])
    choices = _choices(data)
    return next(iter(choices)) if len(choices) == 1 else None


def _record(data: dict[str, Any]) -> dict[str, Any]:
    kind = _kind(data)
    if kind in (Record.YOUTH, Record.PLAN):
        return dict(data["records"][kind])
    return dict(data["records"][kind].get(_record_id(data) or "", {}))


def _adding(data: dict[str, Any]) -> bool:
    return _kind(data) == Record.GUARDIAN and _record_id(data) == NEW


def _field_choices(data: dict[str, Any]) -> dict[str, str]:
    kind, record = _kind(data), _record(data)
    offered = fields(kind, record)
    if kind == Record.MEASURE and _not_started(data):
        offered[CANCEL] = "avbryt insatsen (den har inte börjat)"
    offered[REMOVE] = (
        "ta bort vårdnadshavaren"
        if kind == Record.GUARDIAN
        else "ta bort den – den är felregistrerad"
    )
    return offered


def _not_started(data: dict[str, Any]) -> bool:
    record = _record(data)
    start = record.get("starts_on")
    return not record.get("ended") and bool(start) and start > data[TODAY]


def _field(data: dict[str, Any]) -> str | None:
    """Which field changes (None when a record is removed, cancelled or added)."""
    kind = _kind(data)
    if kind == Record.YOUTH:
        return str(data["target"])
    if kind == Record.PLAN:
        return "follow_up_on"
    chosen = data.get("field")
    return None if chosen in (None, REMOVE, CANCEL) or _removing(data) else str(chosen)


def _action(data: dict[str, Any]) -> str:
    if _removing(data) or data.get("field") == REMOVE:
        return REMOVE
    if data.get("field") == CANCEL:
        return CANCEL
    return NEW if _adding(data) else CHANGE


def _spec(data: dict[str, Any]) -> Spec | None:
    if "target" not in data or _action(data) != CHANGE:
        return None
    name = _field(data)
    return SPECS[_kind(data)][name] if name else None


def _asks_value(free_text: bool) -> Callable[[dict[str, Any]], bool]:
    def skip(data: dict[str, Any]) -> bool:
        spec = _spec(data)
        return spec is None or spec.free_text != free_text

    return skip


def _value_step(key: str, free_text: bool) -> Step:
    """The new value, asked and read as its own flow would (dialogs.correct_fields)."""

    def step(data: dict[str, Any]) -> Step:
        name = _field(data)
        assert name is not None
        return value_step(key, _kind(data), name, _record(data).get(name))

    async def prompt(data: dict[str, Any]) -> Reply:
        reply: Reply = await resolved(step(data).prompt(data))
        return reply

    async def parse(turn: Turn, data: dict[str, Any]) -> Any:
        return await step(data).answer(turn, data)

    return Step(
        key,
        "Nytt värde",
        prompt,
        parse,
        "Skriv det nya värdet, som när du skrev det första gången.",
        skip_if=_asks_value(free_text),
        free_text=free_text,
    )


def _new_value(data: dict[str, Any]) -> Any:
    return data[NEW_TEXT] if NEW_TEXT in data else data.get(NEW_VALUE)


def _what(data: dict[str, Any]) -> str:
    """The record as the summary names it."""
    kind = _kind(data)
    if kind == Record.YOUTH:
        return data["youth_name"]
    if kind == Record.PLAN:
        return f"planen för {data['youth_name']}"
    return f"{RECORD_NAMES[kind]} {_record(data).get('label', '')}".strip()


def _summary(data: dict[str, Any]) -> list[str]:
    action, what = _action(data), _what(data)
    if action == REMOVE:
        lines = [f"Ta bort {what}"]
        if data.get("reason"):
            lines.append(f"Orsak: {data['reason']} – uppgiften sparas i historiken")
        return lines
    if action == CANCEL:
        return [f"Avbryt {what} – den har inte börjat", f"Orsak: {data['reason']}"]
    if action == NEW:
        given = ", ".join(str(data[key]) for key in _GUARDIAN_STEPS if data.get(key))
        return [f"Lägg till vårdnadshavare för {data['youth_name']}: {given}"]
    name = _field(data)
    assert name is not None
    spec = SPECS[_kind(data)][name]
    old, new = _record(data).get(name), _new_value(data)
    lines = [f"{what}: {FIELD_NAMES[name]} {shown(old, spec)} → {shown(new, spec)}"]
    if name == "protected_identity" and new:
        lines.append("Adressen tas bort och sparas inte, inte heller i historiken")
    return lines


def correct_flow(context: FlowContext) -> Flow:
    viewed = ViewedCases(context)

    async def load(brief: CaseBrief, data: dict[str, Any]) -> None:
        case = await viewed.get(brief.case_id)
        data["records"] = case_records(case, data["measure_types"])
        data["youth_name"] = brief.name
        for key in ("target", "record_id", "field"):
            data.pop(key, None)

    def target_prompt(data: dict[str, Any]) -> Reply:
        offered = targets(data["records"], _removing(data))
        verb = "ta bort" if _removing(data) else "ändra"
        return Reply(text=f"Vad vill du {verb} för {data['youth_name']}?\n{choice_list(offered)}")

    def parse_target(turn: Turn, data: dict[str, Any]) -> str:
        offered = targets(data["records"], _removing(data))
        if not offered:
            raise InputError("Det finns inget att ta bort i ärendet.")
        return parse_choice(turn, "target", offered)

    def record_prompt(data: dict[str, Any]) -> Reply:
        kind = _kind(data)
        return Reply(text=f"Vilken {RECORD_NAMES[kind]}?\n{choice_list(_choices(data))}")

    def field_prompt(data: dict[str, Any]) -> Reply:
        offered = choice_list(_field_choices(data))
        return Reply(text=f"Vad vill du ändra i {_what(data)}?\n{offered}")

    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        text = await _save(context, data, turn.today)
        return [Reply(text=text, suggestions=(f"visa {data[CASE_KEY]}",))]

    return Flow(
        name=NAME,
        title="Ändra uppgifter",
        steps=(
            case_step(context, check=load, read=viewed.read),
            Step(
                "target",
                "Vad",
                target_prompt,
                parse_target,
                "Svara med siffran framför det du vill ändra, till exempel telefon.",
                fixed=True,
            ),
            Step(
                "record_id",
                "Vilken",
                record_prompt,
                lambda turn, data: parse_choice(turn, "record_id", _choices(data)),
                "Svara med siffran framför den du menar.",
                skip_if=lambda data: "target" not in data or len(_choices(data)) < 2,
                fixed=True,
            ),
            Step(
                "field",
                "Fält",
                field_prompt,
                lambda turn, data: parse_choice(turn, "field", _field_choices(data)),
                "Svara med siffran framför det du vill ändra.",
                skip_if=lambda data: (
                    "target" not in data
                    or _kind(data) in (Record.YOUTH, Record.PLAN)
                    or _removing(data)
                    or _adding(data)
                ),
                fixed=True,
            ),
            _value_step(NEW_TEXT, free_text=True),
            _value_step(NEW_VALUE, free_text=False),
            *(
                field_step(
                    key,
                    GUARDIAN_FIELDS[name],
                    FIELD_NAMES[name].capitalize(),
                    f"Vårdnadshavarens {FIELD_NAMES[name]}?"
                    + ("" if name == "name" else " (skriv - om du inte har det)"),
                    "Uppgifter om vårdnadshavaren, som de står i folkbokföringen.",
                    skip_if=lambda data: "target" not in data or not _adding(data),
                )
                for key, name in _GUARDIAN_STEPS.items()
            ),
            text_step(
                "reason",
                "Orsak",
                lambda data: (
                    "Varför avbryts insatsen?"
                    if _action(data) == CANCEL
                    else "Varför ska uppgiften bort? Till exempel: dubblett, fel ungdom."
                ),
                "Orsaken sparas med uppgiften, så att det syns varför den togs bort.",
                skip_if=lambda data: (
                    "target" not in data
                    or _action(data) not in (REMOVE, CANCEL)
                    or _kind(data) == Record.GUARDIAN
                ),
            ),
            confirm_step(_summary),
        ),
        finish=finish,
    )


async def _save(context: FlowContext, data: dict[str, Any], today: date) -> str:
    """Make the change through the case API; the Swedish answer."""
    cases, actor, case_id = context.cases, context.actor, data[CASE_KEY]
    kind, action, record_id = _kind(data), _action(data), _record_id(data)
    if kind == Record.GUARDIAN and action == NEW:
        values = {name: data.get(key) for key, name in _GUARDIAN_STEPS.items()}
        await cases.add_guardian(actor, case_id, GuardianInput(**values))
        return f"Klart! Vårdnadshavaren är tillagd för {data['youth_name']}."
    if kind == Record.GUARDIAN and action == REMOVE:
        await cases.remove_guardian(actor, case_id, int(record_id or 0))
        return "Klart! Vårdnadshavaren är borttagen. Uppgifterna finns kvar i historiken."
    if action == REMOVE:
        await cases.remove_record(actor, Record(kind), int(record_id or 0), data["reason"])
        return (
            f"Klart! {_what(data).capitalize()} är borttagen. Den räknas inte längre, men "
            "finns kvar i historiken med din orsak."
        )
    if action == CANCEL:
        await cases.cancel_measure(actor, int(record_id or 0), data["reason"], today=today)
        return f"Klart! {_what(data).capitalize()} är avbruten."
    name = _field(data)
    assert name is not None
    value = stored(_new_value(data), kind, name)
    if kind == Record.YOUTH:
        changed = await cases.correct_youth(actor, case_id, {name: value})
    elif kind == Record.GUARDIAN:
        changed = await cases.correct_guardian(actor, case_id, int(record_id or 0), {name: value})
    elif kind == Record.PLAN:
        await cases.change_plan_follow_up(actor, case_id, value, today=today)
        changed = [name]
    else:
        changed = await cases.correct_record(
            actor,
            Record(kind),
            int(record_id or 0),
            {name: value},
            today=today,
            confirmed=confirmed(data),
        )
    if not changed:
        return "Det stod redan så – inget ändrades."
    return (
        f"Klart! {FIELD_NAMES[name].capitalize()} är ändrat för {_what(data)}. "
        "Det gamla värdet finns kvar i historiken."
    )
