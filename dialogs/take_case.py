"""Ta ärende and tilldela: a coordinator takes a case without a coordinator ("ta ärende 12",
"ta Elin", the *Ta ärendet* button); anyone gives one to a colleague ("tilldela Elin till
Anna"). Who may move which case is storage's rule (storage.caseload); the chat explains.

The buttons that start these flows each carry a submission id of their own, so a double
click takes once and a take never counts as an assignment already made.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

from dialogs.context import FlowContext
from dialogs.engine import Flow, Reply, Step, Turn
from dialogs.pick_case import CASE_KEY, case_step
from dialogs.pick_staff import staff_step, with_recipient
from dialogs.steps import confirm_step
from storage.access import CASE_ASSIGNERS, CASE_HOLDERS
from storage.audit import Actor
from storage.caseload import MANAGER_HOLDS_NO_CASES, Taken
from storage.cases import CaseError, NotAllowed

TAKE = "ta_arende"
ASSIGN = "tilldela"
RECIPIENT = "staff_id"
# On a button for a case shown without a coordinator: assign it only if it still has none.
UNASSIGNED = "was_unassigned"

_TAKEN_HINT = " Skriv **fördela** för att se ärendena som saknar handläggare."


def submit(title: str, data: dict[str, Any]) -> dict[str, Any]:
    """A button with a submission id of its own."""
    return {
        "type": "Action.Submit",
        "title": title,
        "data": {**data, "submission": uuid.uuid4().hex},
    }


def caseload_actions(actor: Actor, case_id: int, holder_id: int | None) -> list[dict[str, Any]]:
    """The buttons for an active case: take it when it has no coordinator, give it to a
    colleague when the actor may (storage decides again when pressed)."""
    actions = []
    if holder_id is None and actor.role in CASE_HOLDERS:
        actions.append(submit("Ta ärendet", {"flow": TAKE, CASE_KEY: case_id, "confirm": "ja"}))
    if holder_id is None:
        actions.append(submit("Tilldela …", {"flow": ASSIGN, CASE_KEY: case_id, UNASSIGNED: True}))
    elif actor.role in CASE_ASSIGNERS:
        actions.append(submit("Tilldela …", {"flow": ASSIGN, CASE_KEY: case_id}))
    elif holder_id == actor.staff_id:
        actions.append(submit("Lämna över …", {"flow": ASSIGN, CASE_KEY: case_id}))
    return actions


def add_caseload_actions(
    card: dict[str, Any], actor: Actor, case_id: int, holder_id: int | None
) -> None:
    """Put the case's take and assign buttons under its facts (who holds it is among them)."""
    actions = caseload_actions(actor, case_id, holder_id)
    if not actions:
        return
    body = card["body"]
    facts = next((i for i, block in enumerate(body) if block.get("type") == "FactSet"), None)
    at = len(body) if facts is None else facts + 1
    body.insert(at, {"type": "ActionSet", "actions": actions})


def take_flow(context: FlowContext) -> Flow:
    if context.actor.role not in CASE_HOLDERS:
        raise NotAllowed(MANAGER_HOLDS_NO_CASES)

    async def finish(data: dict[str, Any], _turn: Turn) -> list[Reply]:
        try:
            await context.cases.take(context.actor, data[CASE_KEY])
        except Taken as taken:
            return [Reply(text=str(taken) + _TAKEN_HINT, suggestions=("fördela",))]
        except CaseError as error:
            return [Reply(text=str(error))]
        return [
            Reply(
                text=f"Klart! {data['case_label']} är ditt ärende nu. Det kommer med i dina "
                "påminnelser och i **mina ärenden**.",
                suggestions=("mina ärenden", "fördela"),
            )
        ]

    confirm = confirm_step(lambda data: [f"Du tar {data['case_label']}."])
    return Flow(name=TAKE, title="Ta ärende", steps=(case_step(context), confirm), finish=finish)


def _seen_unassigned(step: Step) -> Step:
    """The case step, also keeping whether the button was for a case without a coordinator."""

    async def parse(turn: Turn, data: dict[str, Any]) -> Any:
        if turn.value and turn.value.get(UNASSIGNED) is True:
            data[UNASSIGNED] = True
        return await step.answer(turn, data)

    return replace(step, parse=parse)


def assign_flow(context: FlowContext) -> Flow:
    recipient = staff_step(context, RECIPIENT, "Handläggare", "Vem ska ha ärendet?")

    async def finish(data: dict[str, Any], _turn: Turn) -> list[Reply]:
        try:
            staff = await context.cases.assign(
                context.actor,
                data[CASE_KEY],
                data[RECIPIENT],
                unassigned_only=bool(data.get(UNASSIGNED)),
            )
        except Taken as taken:
            return [Reply(text=f"{taken} Be din chef om det ska till någon annan.")]
        except CaseError as error:
            return [Reply(text=str(error))]
        if staff.id == context.actor.staff_id:
            return [Reply(text=f"Klart! {data['case_label']} är ditt ärende nu.")]
        return [Reply(text=f"Klart! {data['case_label']} har nu {staff.name} som handläggare.")]

    return Flow(
        name=ASSIGN,
        title="Tilldela ärende",
        steps=(
            with_recipient(_seen_unassigned(case_step(context)), recipient),
            recipient,
            confirm_step(
                lambda data: [
                    f"{data['case_label']} får {data[RECIPIENT + '_name']} som handläggare."
                ]
            ),
        ),
        finish=finish,
    )
