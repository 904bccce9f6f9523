"""Telling an answer from an aside, when a flow waits for an answer and text comes.

A command or a quick question typed mid-flow is an aside — answered beside the flow, which
then asks its question again — unless the text has the form of the step's answer: a date at
a date step, a number, code or label at a choice step, yes or no at a question of that kind.
It is then taken as the answer even when the answer fails its check, so `idag` at a date
that must not lie before a measure's start gets that error rather than today's reminders.
Where any text is an answer (a note, a name), a quick question is a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dialogs.commands import CommandMatch, match_command
from dialogs.engine import InputError, NotAnAnswer, Step, Turn
from dialogs.intents import Intent, Recognition, recognise


@dataclass(frozen=True)
class Aside:
    """A command (`command`) or a quick question (`question`) typed beside the flow."""

    command: CommandMatch | None = None
    question: Recognition | None = None


async def aside_of(step: Step, turn: Turn, data: dict[str, Any]) -> Aside | None:
    """The aside the text is, or None when it is (meant as) the answer to the step."""
    match = match_command(turn.plain)
    recognition = None if match else recognise(turn.plain)
    asks = recognition is not None and recognition.intent not in (None, Intent.SHOW_CASE)
    if not (match or asks):
        return None
    if not (asks and step.free_text) and await has_answer_form(step, turn, data):
        return None
    return Aside(match, recognition if asks else None)


async def has_answer_form(step: Step, turn: Turn, data: dict[str, Any]) -> bool:
    """Whether the text is an answer to the step, right or wrong (tried on a copy of the
    data): only NotAnAnswer says it is none."""
    try:
        await step.answer(turn, dict(data))
    except NotAnAnswer:
        return False
    except InputError:
        return True
    return True
