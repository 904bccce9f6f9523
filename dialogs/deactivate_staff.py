"""Avaktivera: an admin deactivates a staff member who leaves, handing their active cases to
a colleague or leaving them without a coordinator ("avaktivera Anna"). The same as
`kaa-bot staff deactivate`; storage does it and enforces who may."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dialogs.context import FlowContext
from dialogs.engine import Flow, Reply, Turn
from dialogs.pick_staff import NOBODY, staff_step
from dialogs.steps import confirm_step
from storage.access import ADMINISTRATORS
from storage.caseload import active_cases_text, held_count
from storage.cases import CaseError, NotAllowed

NAME = "avaktivera"
LEAVER = "leaver_id"
RECIPIENT = "handover_to"
HELD = "held"

NOT_ADMIN = (
    "Det är bara administratörer som kan avaktivera personal. Ska du själv sluta kan du "
    "lämna över dina ärenden: skriv **överlämna mina ärenden till** och kollegans namn."
)


def deactivate_flow(context: FlowContext) -> Flow:
    if context.actor.role not in ADMINISTRATORS:
        raise NotAllowed(NOT_ADMIN)

    leaver = staff_step(
        context,
        LEAVER,
        "Vem",
        "Vem ska avaktiveras?",
        holders_only=False,
        allowed=lambda member, _data: member.id != context.actor.staff_id,
    )

    async def pick_leaver(turn: Turn, data: dict[str, Any]) -> int | None:
        staff_id = await leaver.answer(turn, data)
        if staff_id is not None:
            data[HELD] = await held_count(context.source, context.actor, staff_id)
        return staff_id

    def summary(data: dict[str, Any]) -> list[str]:
        cases = active_cases_text(data.get(HELD, 0))
        whom = data[RECIPIENT + "_name"]
        moved = f"flyttas till {whom}" if whom else "blir utan handläggare"
        return [
            f"{data[LEAVER + '_name']} avaktiveras och kan inte längre använda boten.",
            f"Personens {cases} {moved}; påminnelserna följer med ärendena.",
            "Pågående dialoger med personen avslutas.",
        ]

    async def finish(data: dict[str, Any], _turn: Turn) -> list[Reply]:
        try:
            result = await context.cases.deactivate_staff(
                context.actor, data[LEAVER + "_aad"], data[RECIPIENT + "_aad"]
            )
        except CaseError as error:
            return [Reply(text=str(error))]
        return [Reply(text=result.summary())]

    return Flow(
        name=NAME,
        title="Avaktivera personal",
        steps=(
            replace(leaver, parse=pick_leaver),
            staff_step(
                context,
                RECIPIENT,
                "Ärendena till",
                f"Vem ska ta över personens ärenden? Skriv **{NOBODY}** om de ska vänta på "
                "att fördelas.",
                allow_nobody=True,
                allowed=lambda member, data: member.id != data.get(LEAVER),
            ),
            confirm_step(summary),
        ),
        finish=finish,
    )
