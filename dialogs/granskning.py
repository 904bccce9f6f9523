"""Granskning in the chat: ``granskning`` grades the active cases, ``granskning 2026H1``
every case in KAA during the period, closed ones too, as an auditor would. Managers also
get the auditor's summary table; coordinators see their own cases."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from dialogs.cards import blocks_by_id, fill_card
from dialogs.context import FlowContext
from dialogs.dates import format_date
from dialogs.engine import Reply, Turn
from dialogs.intents import Recognition
from dialogs.lists import LIST_LIMIT, more_text
from scheduler.loading import load_municipalities
from storage.reports.granskning import Area, Status, summary
from storage.reports.granskning_cases import GradedCase, load_grades
from storage.reports.period import Period, PeriodError, parse_period
from storage.routine import routine_settings

SHOWN_CASES = LIST_LIMIT // 2


def granskning_card(grades: list[GradedCase], today: date, period: Period | None) -> dict[str, Any]:
    card = fill_card("granskning", {})
    blocks = blocks_by_id(card)
    if period is None:
        blocks["intro"]["text"] = f"{len(grades)} aktiva ärenden bedömda {format_date(today)}."
    else:
        blocks["intro"]["text"] = (
            f"{len(grades)} ärenden i aktivitetsansvaret under {period.label}, pågående och "
            f"avslutade, bedömda {format_date(today)}."
        )
    counts = summary([graded.grade for graded in grades])
    header = ["Område", *(status.value for status in Status)]

    def row(cells: list[str], bold: bool = False) -> dict[str, Any]:
        return {
            "type": "TableRow",
            "cells": [
                {
                    "type": "TableCell",
                    "items": [
                        {
                            "type": "TextBlock",
                            "text": cell,
                            "wrap": True,
                            "weight": "Bolder" if bold else "Default",
                        }
                    ],
                }
                for cell in cells
            ],
        }

    total = len(grades)
    blocks["summary"]["rows"] = [row(header, bold=True)] + [
        row([area.value, *(f"{counts[area][status]}/{total}" for status in Status)])
        for area in Area
    ]
    return card


def _grade_lines(graded: GradedCase) -> str:
    parts = [
        f"  - {area.value}: {grade.status.value}"
        + (f" – {'; '.join(grade.missing)}" if grade.missing else "")
        for area, grade in graded.grade.areas.items()
        if grade.status in (Status.DELVIS, Status.INTE)
    ]
    closed = f", avslutat {format_date(graded.closed_on)}" if graded.closed_on else ""
    return f"- **{graded.youth_name}** (ärende {graded.grade.case_id}{closed})\n" + "\n".join(parts)


async def granskning_answer(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    actor = context.actor
    try:
        period = parse_period(recognition.period) if recognition.period else None
    except PeriodError as error:
        return [Reply(text=str(error))]
    async with context.cases.sessionmaker() as session:
        municipalities = await load_municipalities(session, [actor.municipality_id or 0])
    staff_id = actor.staff_id if actor.role == "coordinator" else None
    grades = (
        await load_grades(
            context.cases.sessionmaker,
            actor,
            routine_settings(municipalities[0]),
            turn.today,
            staff_id=staff_id,
            period=period,
        )
        if municipalities
        else []
    )
    if not grades:
        if period is not None:
            return [Reply(text=f"Inga ärenden i aktivitetsansvaret under {period.label}.")]
        return [Reply(text="Du har inga aktiva ärenden tilldelade just nu.")]
    gaps = [g for g in grades if g.grade.missing_any]
    gaps.sort(key=lambda g: -len(g.grade.missing))
    listed = "\n".join(_grade_lines(g) for g in gaps[:SHOWN_CASES])
    if not gaps:
        text = "Alla bedömda ärenden uppfyller kraven – inget saknas i dokumentationen."
    else:
        whose = "Dina ärenden" if staff_id else "Ärenden"
        text = f"**{whose} med brister ({len(gaps)} av {len(grades)}):**\n\n{listed}" + more_text(
            SHOWN_CASES, len(gaps)
        )
    if actor.role == "coordinator":
        return [Reply(text=text)]
    when = f"under {period.label}" if period else "idag"
    return [
        Reply(
            text=f"Så här skulle en granskning bedöma ärendena {when}:",
            card=granskning_card(grades, turn.today, period),
        ),
        Reply(text=text),
    ]
