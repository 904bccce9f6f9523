"""Kommunens rutin i chatten: ``hjälp rutin`` shows it, an admin changes it (``rutin K=V``).

The values are validated in storage (storage/routine.py); a refusal comes back as its
Swedish message with the way to try again.
"""

from __future__ import annotations

import re

from dialogs.context import FlowContext
from dialogs.engine import Reply, Turn
from storage.cases import CaseError
from storage.routine import DEFAULT_WORD, RoutineService, RoutineSettings, describe

HELP_NAME = "rutin_hjalp"
CHANGE_NAME = "rutin"
_EXAMPLE = "rutin contact_followup_months=2 digest_time=07:00"


def routine_text(routine: RoutineSettings) -> str:
    lines = [
        f"- **{row.name}** = {row.value}"
        + (f" (standard {row.default})" if row.changed else "")
        + f" – {row.description} ({row.allowed})"
        for row in describe(routine)
    ]
    return (
        "**Kommunens rutin för påminnelserna**\n\n"
        + "\n".join(lines)
        + f"\n\nAdministratörer ändrar med till exempel **{_EXAMPLE}**; "
        f"**namn={DEFAULT_WORD}** återställer standardvärdet."
    )


async def show_routine(context: FlowContext, _turn: Turn, _rest: str) -> list[Reply]:
    try:
        routine = await RoutineService(context.cases.sessionmaker).current(context.actor)
    except CaseError as error:
        return [Reply(text=str(error))]
    return [Reply(text=routine_text(routine))]


async def change_routine(context: FlowContext, turn: Turn, rest: str) -> list[Reply]:
    """``rutin`` alone shows the routine; with ``namn=värde`` an admin changes it."""
    if not rest:
        return await show_routine(context, turn, rest)
    assignments = re.sub(r"\s*=\s*", "=", rest).split()
    try:
        routine = await RoutineService(context.cases.sessionmaker).change(
            context.actor, assignments
        )
    except CaseError as error:
        return [Reply(text=f"{error}\n\nInget ändrades. Skriv till exempel **{_EXAMPLE}**.")]
    return [Reply(text="Klart, rutinen är ändrad.\n\n" + routine_text(routine))]
