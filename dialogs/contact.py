"""Logga kontakt: a contact or contact attempt with a youth, guardian, school or other actor."""

from __future__ import annotations

from typing import Any

from dialogs.context import FlowContext
from dialogs.dates import format_date
from dialogs.engine import Flow, Reply, Turn
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, case_card, case_step
from dialogs.steps import (
    choice_step,
    confirm_step,
    confirmed,
    date_step,
    iso,
    shown,
    text_step,
)
from storage import codes
from storage.cases import ContactInput

NAME = FlowName.CONTACT


def _summary(data: dict[str, Any]) -> list[str]:
    lines = [
        f"Ungdom: {data['case_label']}",
        f"Datum: {data['occurred_on']}",
        f"Kanal: {codes.label(codes.CONTACT_CHANNELS, data['channel'])}",
        f"Med: {codes.label(codes.COUNTERPARTS, data['counterpart'])}",
        f"Utfall: {codes.label(codes.CONTACT_OUTCOMES, data['outcome'])}",
    ]
    if data.get("occupation"):
        lines.append(f"Sysselsättning: {codes.label(codes.OCCUPATIONS, data['occupation'])}")
    lines.append(f"Anteckning: {shown(data.get('note'))}")
    return lines


def _card(data: dict[str, Any]) -> dict[str, Any]:
    return case_card(
        "contact",
        NAME,
        data,
        choices={
            "channel": codes.CONTACT_CHANNELS,
            "counterpart": codes.COUNTERPARTS,
            "outcome": codes.CONTACT_OUTCOMES,
            "occupation": codes.OCCUPATIONS,
        },
    )


def contact_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        occurred_on = iso(data["occurred_on"])
        assert occurred_on is not None
        await context.cases.log_contact(
            context.actor,
            data[CASE_KEY],
            ContactInput(
                occurred_on=occurred_on,
                channel=data["channel"],
                counterpart=data["counterpart"],
                outcome=data["outcome"],
                note=data.get("note"),
            ),
            today=turn.today,
            occupation=data.get("occupation"),
            confirmed=confirmed(data),
        )
        return [
            Reply(
                text=f"Klart! Kontakten {format_date(occurred_on)} är sparad i "
                f"{data['case_label']}."
            )
        ]

    return Flow(
        name=NAME,
        title="Logga kontakt",
        steps=(
            case_step(context),
            date_step(
                "occurred_on",
                "Datum",
                "Vilken dag var kontakten? (till exempel idag, igår eller 15/3)",
                "Dagen då du hade kontakt eller försökte få kontakt – inte ett datum framåt.",
                when="past",
                suggestions=("idag", "igår"),
            ),
            choice_step(
                "channel",
                "Kanal",
                "Hur tog du kontakt?",
                codes.CONTACT_CHANNELS,
                "Svara med siffran framför kanalen, eller skriv den, till exempel telefon.",
            ),
            choice_step(
                "counterpart",
                "Med vem",
                "Vem hade du kontakt med?",
                codes.COUNTERPARTS,
                "Ungdomen själv, vårdnadshavaren, skolan eller en annan aktör.",
            ),
            choice_step(
                "outcome",
                "Utfall",
                "Hur gick det?",
                codes.CONTACT_OUTCOMES,
                "Nådd betyder att ni fick kontakt. Avböjer betyder att ungdomen inte vill ha "
                "stöd just nu – vi följer ändå upp regelbundet.",
            ),
            choice_step(
                "occupation",
                "Sysselsättning",
                "Fick du veta vad ungdomen gör nu?",
                codes.OCCUPATIONS,
                "Om du fick veta ungdomens sysselsättning sparar jag den också. "
                "Skriv - om du inte fick veta något.",
                optional=True,
            ),
            text_step(
                "note",
                "Anteckning",
                "Vill du skriva en kort anteckning?",
                "En kort anteckning om kontakten. Skriv inget om hälsa, diagnoser, missbruk, "
                "brott, religion, etnicitet eller sexualitet – det får inte dokumenteras.",
                optional=True,
            ),
            confirm_step(_summary),
        ),
        finish=finish,
        card=_card,
        card_after=CASE_KEY,
    )
