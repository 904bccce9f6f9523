"""Avsluta ärende: deregister a youth, always with a date and a reason.

"Annan orsak" needs a written explanation. Measures still open are ended in the same step,
on the closing date and with a reason the coordinator gives, so none is left open.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dialogs.context import FlowContext
from dialogs.engine import Flow, Reply, Turn
from dialogs.pick_case import CASE_KEY, case_card, case_step, remember
from dialogs.steps import choice_step, confirm_step, date_step, iso, text_step
from storage import codes
from storage.cases import CaseError, Closing, MeasureEnd, StaleCase

NAME = "avsluta_arende"


def _registered(data: dict[str, Any]) -> tuple[date, str] | None:
    registered = iso(data.get("case_registered_on"))
    if registered is None:
        return None
    return registered, f"Ungdomen registrerades {registered}, avslutet kan inte ligga före det."


def _open_measures(data: dict[str, Any]) -> dict[str, str]:
    return data.get("open_measures") or {}


def _summary(data: dict[str, Any]) -> list[str]:
    lines = [
        f"Ungdom: {data['case_label']}",
        f"Avslutas: {data['deregistered_on']}",
        f"Orsak: {codes.label(codes.DEREGISTRATION_REASONS, data['reason'])}",
    ]
    if data.get("note"):
        lines.append(f"Förklaring: {data['note']}")
    for label in _open_measures(data).values():
        lines.append(f"Insatsen {label} avslutas samma dag: {data['measure_end_reason']}")
    return lines


def close_case_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], _turn: Turn) -> list[Reply]:
        closed_on = iso(data["deregistered_on"])
        assert closed_on is not None
        ends = tuple(
            MeasureEnd(int(measure_id), closed_on, data["measure_end_reason"])
            for measure_id in _open_measures(data)
        )
        try:
            await context.cases.close_case(
                context.actor,
                data[CASE_KEY],
                Closing(
                    deregistered_on=closed_on,
                    reason=data["reason"],
                    note=data.get("note"),
                    measure_ends=ends,
                ),
                expected_version=data["case_version"],
            )
        except StaleCase as error:
            brief = await context.queries.brief(context.actor, data[CASE_KEY])
            types = codes.measure_types(await context.queries.municipality_settings(context.actor))
            remember(brief, data, types)
            raise CaseError(
                "Ärendet har ändrats av någon annan sedan du började. Jag har läst in det igen "
                "– kontrollera uppgifterna."
            ) from error
        ended = f" {len(ends)} pågående insats(er) avslutades samma dag." if ends else ""
        return [Reply(text=f"Klart! {data['case_label']} är avslutat {closed_on}.{ended}")]

    return Flow(
        name=NAME,
        title="Avsluta ärende",
        steps=(
            case_step(context),
            date_step(
                "deregistered_on",
                "Avslutsdatum",
                "Vilket datum lämnar ungdomen aktivitetsansvaret? (till exempel idag)",
                "Dagen då ungdomen avregistreras – idag eller tidigare, inte före registreringen.",
                when="past",
                not_before=_registered,
                suggestions=("idag",),
            ),
            choice_step(
                "reason",
                "Orsak",
                "Vad är orsaken till avregistreringen?",
                codes.DEREGISTRATION_REASONS,
                "Ett ärende avslutas alltid med en orsak. Vid annan orsak skriver du vad.",
            ),
            text_step(
                "note",
                "Förklaring",
                "Du valde annan orsak – skriv vad orsaken är.",
                "Vid annan orsak krävs en förklaring, till exempel att ungdomen flyttat utomlands.",
                skip_if=lambda data: data.get("reason") != "annan",
            ),
            text_step(
                "measure_end_reason",
                "Orsak för pågående insatser",
                lambda data: (
                    "Ungdomen har pågående insatser: "
                    + ", ".join(_open_measures(data).values())
                    + ". De avslutas samma dag som ärendet – vad är orsaken?"
                ),
                "En avslutad insats behöver en orsak, till exempel att ungdomen börjat studera.",
                skip_if=lambda data: not _open_measures(data),
            ),
            confirm_step(_summary),
        ),
        finish=finish,
        card=lambda data: case_card(
            "close_case", NAME, data, choices={"reason": codes.DEREGISTRATION_REASONS}
        ),
        card_after=CASE_KEY,
    )
