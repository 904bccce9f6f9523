"""Lägg till handläggare: an admin adds a staff member of their own municipality from chat."""

from __future__ import annotations

import uuid
from typing import Any

from dialogs.choices import choice_list, parse_choice, parse_yes_no
from dialogs.context import FlowContext
from dialogs.engine import Flow, InputError, Reply, Step, Turn
from dialogs.flow_names import FlowName
from storage import codes
from storage.cases import NotAllowed
from storage.codes import Role

NAME = FlowName.ADD_STAFF

NOT_ADMIN = (
    "Det är bara administratörer som kan lägga till handläggare. "
    "Be din administratör om hjälp – personen behöver sitt id, som jag visar när de skriver "
    "till mig."
)


def _ask(text: str, *suggestions: str) -> Any:
    return lambda _data: Reply(text=text, suggestions=suggestions)


def _parse_aad_id(turn: Turn, _data: dict[str, Any]) -> str:
    try:
        return str(uuid.UUID(turn.plain))
    except ValueError as error:
        raise InputError(
            "Det ser inte ut som ett aadObjectId. Det består av 32 tecken 0–9 och a–f med "
            "bindestreck, till exempel 3f2504e0-4f89-11d3-9a0c-0305e82c3301."
        ) from error


def _parse_staff_name(turn: Turn, _data: dict[str, Any]) -> str:
    name = turn.plain
    if not name or len(name) > 200 or any(char.isdigit() for char in name):
        raise InputError("Skriv personens namn med bokstäver.")
    return name


def _summary(data: dict[str, Any]) -> Reply:
    return Reply(
        text="Stämmer det här?\n"
        f"- Id: {data['aad_object_id']}\n"
        f"- Namn: {data['name']}\n"
        f"- Roll: {codes.label(codes.ROLES, data['role'])}\n\n"
        "Svara **ja** för att lägga till eller **avbryt** för att låta bli.",
        suggestions=("ja", "avbryt"),
    )


def _confirm(turn: Turn, _data: dict[str, Any]) -> bool:
    if not parse_yes_no(turn, "confirm"):
        raise InputError("Skriv **avbryt** om du inte vill lägga till, eller **ja**.")
    return True


def staff_admin_flow(context: FlowContext) -> Flow:
    """Refused at once for anyone but an admin; the case API checks the role again."""
    if context.actor.role != Role.ADMIN:
        raise NotAllowed(NOT_ADMIN)

    async def finish(data: dict[str, Any], _turn: Turn) -> list[Reply]:
        staff = await context.cases.add_staff(
            context.actor, data["aad_object_id"], data["name"], data["role"]
        )
        role = codes.label(codes.ROLES, staff.role)
        return [
            Reply(
                text=f"Klart! {staff.name} är tillagd som {role}. "
                "Personen kan börja skriva till mig direkt."
            )
        ]

    return Flow(
        name=NAME,
        title="Lägg till handläggare",
        steps=(
            Step(
                "aad_object_id",
                "Id",
                _ask("Vilket aadObjectId har personen i Teams?"),
                _parse_aad_id,
                "Id:t visar jag när personen skriver till mig första gången. Det finns också "
                "i Microsoft Entra ID som personens objekt-id.",
            ),
            Step(
                "name",
                "Namn",
                _ask("Vad heter personen?"),
                _parse_staff_name,
                "Förnamn och efternamn, så som kollegorna känner igen personen.",
            ),
            Step(
                "role",
                "Roll",
                _ask("Vilken roll ska personen ha?\n" + choice_list(codes.ROLES)),
                lambda turn, _data: parse_choice(turn, "role", codes.ROLES),
                "Handläggare arbetar med ärenden, chefer läser och tar fram rapporter, "
                "administratörer hanterar personal och inställningar.",
            ),
            Step("confirm", "Bekräftelse", _summary, _confirm, "Svara **ja** för att spara."),
        ),
        finish=finish,
    )
