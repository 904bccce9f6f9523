"""The answers to the quick questions ("vad har jag idag?", "nyckeltal", "granskning" …), by
the question asked; each in a module named for what it answers.

Answers go to the asker's own 1:1 chat, so they may name youths; every case a list names
is written to the audit log where it is read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dialogs.case_lists import (
    enrolled_answer,
    my_cases_answer,
    new_this_week_answer,
    turning_20_answer,
)
from dialogs.context import FlowContext
from dialogs.distribute import distribute, with_unattended
from dialogs.engine import Reply, Turn
from dialogs.granskning import granskning_answer
from dialogs.intents import Intent, Recognition
from dialogs.key_figures import key_figures_answer
from dialogs.my_day import not_reached_answer, today_answer
from dialogs.scb import scb_answer
from dialogs.workload import workload

Answer = Callable[[Recognition, Turn, FlowContext], Awaitable[list[Reply]]]

ANSWERS: dict[Intent, Answer] = {
    Intent.TODAY: with_unattended(today_answer),
    Intent.OVERDUE: today_answer,
    Intent.NOT_REACHED: not_reached_answer,
    Intent.ENROLLED: enrolled_answer,
    Intent.MY_CASES: my_cases_answer,
    Intent.NEW_THIS_WEEK: new_this_week_answer,
    Intent.TURNING_20: turning_20_answer,
    Intent.KPI: key_figures_answer,
    Intent.SCB: scb_answer,
    Intent.GRANSKNING: granskning_answer,
    Intent.DISTRIBUTE: distribute,
    Intent.WORKLOAD: workload,
}


async def answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    """The answer to a recognised quick question (not SHOW_CASE: that is the case view's)."""
    assert recognition.intent is not None and recognition.intent in ANSWERS
    return await ANSWERS[recognition.intent](recognition, turn, context)
