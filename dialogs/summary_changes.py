"""Changing an answer at a flow's summary, before anything is saved.

`nej` or `ändra` lists what can be changed (numbered; the card comes filled in beside it);
a number or a field's name then asks that one question again, and `ändra datum till 8/1`
answers it at once. Only that field is asked: every other answer stays, and the summary
comes back. Answers a change makes irrelevant (the explanation of "annan orsak" once another
reason is chosen) are dropped, and questions it makes relevant are asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rapidfuzz import fuzz

from storage.swedish_text import SWEDISH_FOLD

# The summary step every saving flow ends with.
CONFIRM = "confirm"
# Kept in the flow's data while the list of what to change waits for a pick.
CHANGING = "_changing"
UNCONFIRMED = "_unconfirmed"
MATCH_SCORE = 80
_NO = {"nej", "n", "na", "no", "andra", "ratta", "fel", "andra nagot", "nej andra"}
_VERBS = {"andra", "ratta", "byt"}
_VALUE = re.compile(r"(.+?)(?:\s+till\s+|\s*[:=]\s*)(.+)", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^a-z0-9]+")


class ChangeableStep(Protocol):
    key: str
    label: str
    skip_if: Callable[[dict[str, Any]], bool]


@dataclass(frozen=True)
class Change:
    """What a text at the summary asks: the list (`step` None), or one step again, answered
    with `value` when the text gave one."""

    step: Any = None
    value: str | None = None


def _fold(text: str) -> str:
    return " ".join(_NOT_WORD.sub(" ", text.lower().translate(SWEDISH_FOLD)).split())


def _step_named(name: str, steps: Sequence[ChangeableStep]) -> ChangeableStep | None:
    """The step a typed field name means: its label, a close typo of it (as many words),
    or a word of it."""
    wanted = _fold(name)
    if not wanted:
        return None
    exact = [s for s in steps if wanted in (_fold(s.label), s.key)]
    if len(exact) == 1:
        return exact[0]
    words = len(wanted.split())
    scored = sorted(
        (fuzz.ratio(wanted, _fold(s.label)), i)
        for i, s in enumerate(steps)
        if len(_fold(s.label).split()) == words
    )
    if scored and scored[-1][0] >= MATCH_SCORE:
        if len(scored) == 1 or scored[-2][0] < scored[-1][0]:
            return steps[scored[-1][1]]
    worded = [s for s in steps if wanted in _fold(s.label).split()]
    return worded[0] if len(worded) == 1 else None


def read_change(steps: Sequence[ChangeableStep], data: dict[str, Any], text: str) -> Change | None:
    """The change a text typed at the summary asks for, or None when it asks none."""
    original = text.strip().rstrip(".!")
    folded = _fold(original)
    if data.get(CHANGING):
        if folded.isdigit() and 1 <= int(folded) <= len(steps):
            return Change(steps[int(folded) - 1])
        step = _step_named(original, steps)
        if step is not None:
            return Change(step)
    if folded in _NO:
        return Change()
    words = original.split(maxsplit=1)
    if len(words) < 2 or _fold(words[0]) not in _VERBS:
        return None
    # The value is kept as typed: "ändra anteckning till Ringer skolan på fredag".
    rest = words[1]
    split = _VALUE.fullmatch(rest)
    if split is not None and (step := _step_named(split[1], steps)) is not None:
        return Change(step, split[2].strip())
    parts = rest.split()
    for end in range(len(parts), 0, -1):
        step = _step_named(" ".join(parts[:end]), steps)
        if step is not None:
            return Change(step, " ".join(parts[end:]) or None)
    return Change()


def change_menu(steps: Sequence[ChangeableStep]) -> str:
    example = f"**ändra {steps[0].label.lower()} till …**" if steps else "**ändra …**"
    numbered = "\n".join(f"{number}. {step.label}" for number, step in enumerate(steps, 1))
    return (
        f"Vad vill du ändra? Svara med siffran, eller skriv till exempel {example}\n"
        f"{numbered}\n\nDet du inte ändrar finns kvar. Skriv **ja** om allt stämmer ändå."
    )


def forget(data: dict[str, Any], step: ChangeableStep) -> None:
    """Take back a step's answer (and a text held back by a sensitive-data warning)."""
    data.pop(step.key, None)
    data.pop(step.key + UNCONFIRMED, None)


def drop_skipped(steps: Sequence[ChangeableStep], data: dict[str, Any]) -> None:
    """Drop the answers of steps a change has made irrelevant."""
    for step in steps:
        if step.key in data and step.key != CONFIRM and step.skip_if(data):
            forget(data, step)
