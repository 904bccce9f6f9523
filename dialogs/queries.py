"""The answers to the quick questions ("vad har jag idag?", "nyckeltal", "granskning" …), by
the question asked; each in a module named for what it answers.

Answers go to the asker's own 1:1 chat, so they may name youths; every case a list names
is written to the audit log where it is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from dialogs.cards import blocks_by_id, fill_card
from dialogs.case_lists import (
    enrolled_answer,
    my_cases_answer,
    new_this_week_answer,
    turning_20_answer,
)
from dialogs.context import FlowContext
from dialogs.dates import format_date
from dialogs.engine import FileReply, Reply, Turn
from dialogs.intents import Intent, Recognition
from dialogs.key_figures import key_figures_answer
from dialogs.lists import LIST_LIMIT, more_text
from dialogs.my_day import not_reached_answer, today_answer
from dialogs.texts import NO_CASES
from scheduler.personal import routine_of
from storage import access
from storage.codes import Role
from storage.reports.granskning import Area, GradedCase, Status, load_grades, summary
from storage.reports.scb import reporting_period, scb_check, scb_file
from storage.scb.periods import PeriodFileError, load_periods

Answer = Callable[[Recognition, Turn, FlowContext], Awaitable[list[Reply]]]


async def _scb(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    actor = context.actor
    periods = load_periods()
    if recognition.period:
        period = next((p for p in periods if p.code == recognition.period.upper()), None)
        if period is None:
            known = ", ".join(p.code for p in periods)
            return [
                Reply(text=f"Det finns ingen SCB-period {recognition.period}. Välj en av: {known}.")
            ]
    else:
        period = reporting_period(turn.today, periods)
    half = f"{period.code} ({format_date(period.start)}–{format_date(period.end)})"
    deadline = f"Sista dag att lämna in: {format_date(period.deadline)}."
    try:
        if access.allowed(actor, access.SCB_FILE_MAKERS):
            result = await scb_file(context.source, actor, period)
            problems, rows = result.problems, len(result.rows)
        else:
            problems = await scb_check(context.source, actor, period, actor.staff_id)
            rows = None
    except PeriodFileError as error:
        return [Reply(text=str(error))]
    lines = [
        f"- rad {p.row}: **{p.youth_name}** (ärende {p.case_id}) – {p.message}"
        for p in problems[:LIST_LIMIT]
    ]
    check = (
        "**Kontrollen hittade det här, som SCB skulle underkänna:**\n\n"
        + "\n".join(lines)
        + more_text(LIST_LIMIT, len(problems))
        if problems
        else "Kontrollen hittade inga saknade eller motsägelsefulla uppgifter."
    )
    if rows is None:
        intro = f"**SCB {half}** – dina ärenden. {deadline} Filen tar din chef fram."
        return [Reply(text=f"{intro}\n\n{check}")]
    if problems:
        intro = (
            f"**SCB {half}:** {rows} ungdomar. {deadline} Rätta uppgifterna nedan innan "
            "filen laddas upp – annars underkänner SCB:s kontroll raderna. Filen kommer här ändå, "
            "så att du ser hur den ser ut."
        )
    else:
        intro = f"**SCB {half}:** {rows} ungdomar. {deadline} Här är filen att ladda upp hos SCB."
    file = FileReply(result.file_name, "text/plain", result.to_bytes())
    return [Reply(text=f"{intro}\n\n{check}", file=file)]


def granskning_card(grades: list[GradedCase], today: date) -> dict[str, Any]:
    card = fill_card("granskning", {})
    blocks = blocks_by_id(card)
    blocks["intro"]["text"] = f"{len(grades)} aktiva ärenden bedömda {format_date(today)}."
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
    return f"- **{graded.youth_name}** (ärende {graded.grade.case_id})\n" + "\n".join(parts)


async def _granskning(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    actor = context.actor
    routine = await routine_of(context.source, actor)
    staff_id = access.own_cases_of(actor)
    grades = await load_grades(
        context.source, actor, routine, turn.today, staff_id=staff_id
    )
    if not grades:
        return [Reply(text=NO_CASES)]
    gaps = [
        g
        for g in grades
        if any(a.status in (Status.DELVIS, Status.INTE) for a in g.grade.areas.values())
    ]
    gaps.sort(key=lambda g: -len(g.grade.missing))
    listed = "\n".join(_grade_lines(g) for g in gaps[: LIST_LIMIT // 2]) + more_text(
        LIST_LIMIT // 2, len(gaps)
    )
    if not gaps:
        text = "Alla bedömda ärenden uppfyller kraven – inget saknas i dokumentationen."
    else:
        whose = "Dina ärenden" if staff_id else "Ärenden"
        text = f"**{whose} med brister ({len(gaps)} av {len(grades)}):**\n\n{listed}"
    if actor.role == Role.COORDINATOR:
        return [Reply(text=text)]
    return [
        Reply(
            text="Så här skulle en granskning bedöma ärendena idag:",
            card=granskning_card(grades, turn.today),
        ),
        Reply(text=text),
    ]


ANSWERS: dict[Intent, Answer] = {
    Intent.TODAY: today_answer,
    Intent.OVERDUE: today_answer,
    Intent.NOT_REACHED: not_reached_answer,
    Intent.ENROLLED: enrolled_answer,
    Intent.MY_CASES: my_cases_answer,
    Intent.NEW_THIS_WEEK: new_this_week_answer,
    Intent.TURNING_20: turning_20_answer,
    Intent.KPI: key_figures_answer,
    Intent.SCB: _scb,
    Intent.GRANSKNING: _granskning,
}


async def answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    """The answer to a recognised quick question (not SHOW_CASE: that is the case view's)."""
    assert recognition.intent is not None and recognition.intent in ANSWERS
    return await ANSWERS[recognition.intent](recognition, turn, context)
