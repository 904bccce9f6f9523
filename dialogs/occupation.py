"""Sysselsättning: what the youth does now, how much (heltid / deltid %), and from when.

Occupations are history: each new one holds from its date until the next.
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.context import FlowContext
from dialogs.engine import Flow, InputError, NotAnAnswer, Reply, Step, Turn
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, case_card, case_step
from dialogs.steps import (
    ask,
    choice_step,
    confirm_step,
    confirmed,
    date_step,
    is_skip,
    iso,
    shown,
    text_step,
)
from storage import codes

NAME = FlowName.OCCUPATION
FULL_TIME = 100
# For these the extent says nothing, so it is not asked.
WITHOUT_EXTENT = {"ingen", "okand", "forhindrad", "utomlands"}
# Since 1 July 2018 a youth on an introduktionsprogram is not in the target group either.
_LEAVES_TARGET_GROUP = {"studier_nationellt", "studier_introduktion"}
_EXTENT = re.compile(r"(?:deltid\s*)?(\d{1,3})\s*(?:%|procent)?")


def parse_extent(turn: Turn, _data: dict[str, Any]) -> int | None:
    text = turn.plain.lower()
    if text in {"heltid", "hel", "100"} or is_skip(text):
        return FULL_TIME
    match = _EXTENT.fullmatch(text)
    if match is None or not 1 <= int(match[1]) <= FULL_TIME:
        message = "Skriv **heltid**, eller hur många procent, till exempel 50 eller 75 %."
        # Without a number it is no attempt at an extent (a question, perhaps).
        raise (InputError if match else NotAnAnswer)(message)
    return int(match[1])


def _extent_text(data: dict[str, Any]) -> str:
    extent = data.get("extent") or FULL_TIME
    return "heltid" if extent == FULL_TIME else f"deltid {extent} %"


def _without_extent(data: dict[str, Any]) -> bool:
    return data.get("kind") in WITHOUT_EXTENT


def _summary(data: dict[str, Any]) -> list[str]:
    lines = [
        f"Ungdom: {data['case_label']}",
        f"Sysselsättning: {codes.label(codes.OCCUPATIONS, data['kind'])}",
    ]
    if not _without_extent(data):
        lines.append(f"Omfattning: {_extent_text(data)}")
    return [*lines, f"Gäller från: {data['valid_from']}", f"Anteckning: {shown(data.get('note'))}"]


def _advice(kind: str, extent: int) -> str:
    if kind == "studier_komvux" and extent < FULL_TIME:
        return (
            " Ungdomen läser komvux på deltid och finns kvar i aktivitetsansvaret – "
            "vi fortsätter att följa upp."
        )
    if kind in _LEAVES_TARGET_GROUP:
        return (
            " Ungdomen hör då inte längre till aktivitetsansvarets målgrupp. Skriv "
            "**avsluta ärende** när du vill avregistrera, med orsak."
        )
    return ""


def occupation_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        valid_from = iso(data["valid_from"])
        assert valid_from is not None
        extent = FULL_TIME if _without_extent(data) else data.get("extent") or FULL_TIME
        await context.cases.record_occupation(
            context.actor,
            data[CASE_KEY],
            data["kind"],
            valid_from,
            extent,
            data.get("note"),
            today=turn.today,
            confirmed=confirmed(data),
        )
        kind = codes.label(codes.OCCUPATIONS, data["kind"])
        return [
            Reply(
                text=f"Klart! Sysselsättningen ({kind}) är sparad." + _advice(data["kind"], extent)
            )
        ]

    return Flow(
        name=NAME,
        title="Sysselsättning",
        steps=(
            case_step(context),
            choice_step(
                "kind",
                "Sysselsättning",
                "Vad gör ungdomen nu?",
                codes.OCCUPATIONS,
                "Svara med siffran framför sysselsättningen, eller skriv den, till exempel arbete.",
            ),
            Step(
                "extent",
                "Omfattning",
                ask(
                    "Heltid eller deltid? Skriv **heltid** eller procent, till exempel 50.",
                    "heltid",
                ),
                parse_extent,
                "Heltid, eller hur stor del i procent. Komvux på deltid betyder att ungdomen "
                "är kvar i aktivitetsansvaret.",
                skip_if=_without_extent,
                optional=True,
            ),
            date_step(
                "valid_from",
                "Gäller från",
                "Från vilket datum gäller det? (till exempel idag eller 1/9)",
                "Dagen sysselsättningen började, eller börjar om den redan är bestämd.",
                when="any",
                suggestions=("idag",),
            ),
            text_step(
                "note",
                "Anteckning",
                "Vill du skriva en kort anteckning, till exempel vilken utbildning?",
                "En kort anteckning. Skriv inget om hälsa eller andra känsliga uppgifter.",
                optional=True,
            ),
            confirm_step(_summary),
        ),
        finish=finish,
        card=lambda data: case_card("occupation", NAME, data, choices={"kind": codes.OCCUPATIONS}),
        card_after=CASE_KEY,
    )
