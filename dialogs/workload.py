"""Arbetsfördelning: for managers, each staff member's active cases, overdue reminders and
youths without contact after four weeks, as a table and a grouped bar chart (the charts Teams
draws in an Adaptive Card, as the key figures card does). Counts and staff names only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dialogs.cards import adaptive_card
from dialogs.context import FlowContext
from dialogs.dates import format_date
from dialogs.engine import Reply, Turn
from dialogs.intents import Recognition
from scheduler.workload import NO_CONTACT_WEEKS, Load, Workload, load_workload
from storage.caseload import active_cases_text
from storage.codes import Role

READER_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
NOBODY = "Utan handläggare"
_COLUMNS = (
    ("active", "Aktiva ärenden"),
    ("overdue", "Försenade påminnelser"),
    ("no_contact", f"Utan kontakt efter {NO_CONTACT_WEEKS} veckor"),
)


def _cell(text: str, bold: bool = False) -> dict[str, Any]:
    return {
        "type": "TableCell",
        "items": [
            {
                "type": "TextBlock",
                "text": text,
                "wrap": True,
                "weight": "Bolder" if bold else "Default",
            }
        ],
    }


def _row(cells: Iterable[str], bold: bool = False) -> dict[str, Any]:
    return {"type": "TableRow", "cells": [_cell(cell, bold) for cell in cells]}


def rows(work: Workload) -> list[tuple[str, Load]]:
    """Each holder's load, then that of the cases without one (when there are any)."""
    listed = [(member.name, work.loads[member.id]) for member in work.staff]
    if work.nobody.active:
        listed.append((NOBODY, work.nobody))
    return listed


def workload_card(work: Workload, title: str) -> dict[str, Any]:
    listed = rows(work)
    table = {
        "type": "Table",
        "firstRowAsHeader": True,
        "columns": [{"width": 2}, *({"width": 1} for _ in _COLUMNS)],
        "rows": [
            _row(["Handläggare", *(label for _key, label in _COLUMNS)], bold=True),
            *(
                _row([name, *(str(getattr(load, key)) for key, _label in _COLUMNS)])
                for name, load in listed
            ),
        ],
    }
    chart = {
        "type": "Chart.VerticalBar.Grouped",
        "title": "Ärenden och påminnelser per handläggare",
        "data": [
            {
                "legend": label,
                "values": [{"x": name, "y": getattr(load, key)} for name, load in listed],
            }
            for key, label in _COLUMNS
        ],
    }
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": title, "size": "Large", "weight": "Bolder", "wrap": True},
        table,
    ]
    if any(load.active for _name, load in listed):
        body.append(chart)
    return adaptive_card(body)


async def workload(
    _recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    if context.actor.role not in READER_ROLES or context.actor.municipality_id is None:
        return [
            Reply(
                text="Arbetsfördelningen är till för chefer och administratörer. "
                "Skriv **mina ärenden** för dina egna."
            )
        ]
    work = await load_workload(
        context.source, context.actor.municipality_id, turn.today
    )
    text = f"Arbetsfördelningen {format_date(turn.today)}."
    if work.nobody.active:
        waiting = active_cases_text(work.nobody.active)
        text += f" {waiting.capitalize()} saknar handläggare – skriv **fördela**."
    return [Reply(text=text, card=workload_card(work, "Arbetsfördelning"))]
