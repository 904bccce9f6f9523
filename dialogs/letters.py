"""Skriv brev: the routine's letters for one youth or every new case, as one PDF.

The letters are written in storage (`storage.letters.writing`), the same as `kaa-bot brev`;
kontaktbrev and påminnelsebrev are recorded as contact attempts by letter that day, once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dialogs.context import FlowContext
from dialogs.engine import FileReply, Flow, InputError, Reply, Step, Turn
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, case_step
from dialogs.steps import ask, choice_step, confirm_step
from storage.cases import CaseError
from storage.letters.kinds import LETTERS
from storage.letters.selection import Selection
from storage.letters.writing import LetterWriter, parse_time_window

NAME = FlowName.WRITE_LETTERS
ONE = "en"
ALL_NEW = "alla_nya"
SCOPES = {ONE: "en ungdom", ALL_NEW: "alla nya (aktiva ärenden utan kontaktförsök)"}
KIND_LABELS = {code: kind.label for code, kind in LETTERS.items()}


def _kind(data: dict[str, Any]) -> str:
    return str(data.get("letter_kind", ""))


def _offers_all_new(data: dict[str, Any]) -> bool:
    kind = LETTERS.get(_kind(data))
    return kind is not None and kind.for_all_new


def _all_new(data: dict[str, Any]) -> bool:
    return data.get("scope") == ALL_NEW


def _summary(data: dict[str, Any]) -> list[str]:
    kind = LETTERS[_kind(data)]
    lines = [f"Brev: {kind.label}"]
    lines.append("För: alla nya ärenden" if _all_new(data) else f"För: {data['case_label']}")
    if data.get("time_window"):
        lines.append(f"Hembesökets tid: {data['time_window']}")
    if kind.records_attempt:
        lines.append("Varje brev registreras som ett kontaktförsök med brev i dag.")
    return lines


def _parse_time(turn: Turn, _data: dict[str, Any]) -> str:
    try:
        return parse_time_window(turn.plain)
    except CaseError as error:
        raise InputError(str(error)) from error


def letters_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        selection = Selection(all_new=True) if _all_new(data) else Selection(case_id=data[CASE_KEY])
        batch = await LetterWriter(context.cases).write(
            context.actor,
            _kind(data),
            selection,
            turn.today,
            time_window=data.get("time_window"),
        )
        text = "\n\n".join(batch.summary(names=True))
        if batch.pdf is None:
            return [Reply(text=f"{text}\n\nInget brev skrevs.")]
        file = FileReply(batch.file_name, "application/pdf", batch.pdf)
        return [Reply(text=f"Här är breven att skriva ut.\n\n{text}", file=file)]

    return Flow(
        name=NAME,
        title="Skriv brev",
        steps=(
            choice_step(
                "letter_kind",
                "Brev",
                "Vilket brev vill du skriva?",
                KIND_LABELS,
                "Kontaktbrev och påminnelsebrev registreras som kontaktförsök. Hembesöksbrevet "
                "aviserar ett planerat hembesök. Information och samtyckesblankett kan skickas "
                "med.",
            ),
            choice_step(
                "scope",
                "För vem",
                "För en ungdom eller för alla nya?",
                SCOPES,
                "Alla nya är de aktiva ärendena i din kommun som ännu inte har något "
                "kontaktförsök.",
                skip_if=lambda data: not _offers_all_new(data),
            ),
            replace(case_step(context), skip_if=_all_new),
            Step(
                "time_window",
                "Tid",
                ask("Vilken tid kommer ni på hembesöket? (till exempel 14–16)"),
                _parse_time,
                "Tiden för hembesöket som ett spann, till exempel 14–16 eller 9.30–11. "
                "Dagen och vem som går med tas från det planerade hembesöket.",
                skip_if=lambda data: _kind(data) != "hembesok",
            ),
            confirm_step(_summary),
        ),
        finish=finish,
    )
