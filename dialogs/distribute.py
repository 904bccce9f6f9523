"""Fördela: the municipality's active cases without a coordinator, longest waiting first, as
a card with a button to take each (coordinators, admins) and one to give it to the colleague
picked at the top (everyone: sharing out the intake; a manager's one write).

The list shows youths' names, so it is answered only in the 1:1 chat and each case shown is
an audited read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from dialogs.cards import adaptive_card
from dialogs.context import FlowContext
from dialogs.dates import format_day_month
from dialogs.digest import unattended_note
from dialogs.engine import Reply, Turn
from dialogs.intents import Recognition
from dialogs.pick_case import CASE_KEY
from dialogs.take_case import ASSIGN, RECIPIENT, TAKE, UNASSIGNED, submit
from scheduler.unattended import load_unattended, unattended_text
from storage.access import CASE_HOLDERS
from storage.caseload import WaitingCase, unassigned_cases
from storage.codes import Role

# Cases on one card: each has its own buttons, and a long card is hard to work through.
CARD_LIMIT = 10
# Who is told, with their day, how many cases reach no coordinator.
OVERSEERS = frozenset({Role.MANAGER, Role.ADMIN})

Answer = Callable[[Recognition, Turn, FlowContext], Awaitable[list[Reply]]]


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _row(case: WaitingCase, may_take: bool) -> dict[str, Any]:
    actions = []
    if may_take:
        actions.append(
            submit("Ta ärendet", {"flow": TAKE, CASE_KEY: case.case_id, "confirm": "ja"})
        )
    assign = {"flow": ASSIGN, CASE_KEY: case.case_id, UNASSIGNED: True, "confirm": "ja"}
    actions.append(submit("Tilldela vald kollega", assign))
    return {
        "type": "Container",
        "separator": True,
        "items": [
            _text(f"**{case.first_name} {case.last_name}** (ärende {case.case_id})"),
            _text(
                f"Registrerad {format_day_month(case.registered_on)}",
                isSubtle=True,
                spacing="None",
            ),
            {"type": "ActionSet", "actions": actions},
        ],
    }


async def distribute_card(
    context: FlowContext, total: int, shown: list[WaitingCase]
) -> dict[str, Any]:
    colleagues = [
        member
        for member in await context.cases.municipality_staff(context.actor)
        if member.role in CASE_HOLDERS
    ]
    body: list[dict[str, Any]] = [
        _text(f"Ärenden utan handläggare ({total})", weight="Bolder", size="Medium"),
        _text("De som har väntat längst först.", isSubtle=True, spacing="None"),
        {
            "type": "Input.ChoiceSet",
            "id": RECIPIENT,
            "label": "Tilldela till",
            "placeholder": "Välj kollega",
            "choices": [{"title": member.name, "value": str(member.id)} for member in colleagues],
        },
        *(_row(case, context.actor.role in CASE_HOLDERS) for case in shown),
    ]
    if total > len(shown):
        body.append(
            _text(
                f"…och {total - len(shown)} till. Skriv **fördela** igen när de här har fått "
                "handläggare.",
                isSubtle=True,
            )
        )
    return adaptive_card(body)


async def distribute(
    _recognition: Recognition, _turn: Turn, context: FlowContext
) -> list[Reply]:
    total, shown = await unassigned_cases(context.source, context.actor, CARD_LIMIT)
    if not total:
        return [Reply(text="Alla aktiva ärenden har en handläggare. Bra!")]
    waiting = "1 ungdom saknar" if total == 1 else f"{total} ungdomar saknar"
    return [
        Reply(
            text=f"{waiting} handläggare. Ta ett ärende, eller välj en kollega överst och "
            "tilldela.",
            card=await distribute_card(context, total, shown),
        )
    ]


def with_unattended(answer: Answer) -> Answer:
    """The answer, for a manager or an admin first saying how many of the municipality's
    cases reach no coordinator ("vad har jag idag?")."""

    async def answered(
        recognition: Recognition, turn: Turn, context: FlowContext
    ) -> list[Reply]:
        replies = await answer(recognition, turn, context)
        municipality_id = context.actor.municipality_id
        if context.actor.role not in OVERSEERS or municipality_id is None:
            return replies
        counts = await load_unattended(context.source, [municipality_id])
        text = unattended_text(counts[municipality_id])
        if not text:
            return replies
        note = unattended_note(text)
        return [Reply(text=note, suggestions=("fördela", "arbetsfördelning")), *replies]

    return answered
