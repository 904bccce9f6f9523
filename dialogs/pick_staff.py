"""Which colleague: a staff member of one's own municipality by name (typos allowed), "mig",
or, where a flow allows it, nobody.

The chosen member is kept in the flow's data as their id under the step's key, with their
name (`<key>_name`) and aadObjectId (`<key>_aad`) for the summary and the case API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from dialogs.context import FlowContext
from dialogs.engine import InputError, Reply, Step, Turn
from storage.access import CASE_HOLDERS
from storage.case_queries import NAME_MATCH_SCORE, NAME_MATCH_WINDOW, name_score
from storage.colleagues import Colleague

_ME = {"mig", "mig själv", "mig sjalv", "jag", "jag själv", "jag sjalv"}
NOBODY = "ingen"
_NOBODY = {NOBODY, "ingen alls", "ingen handläggare", "ingen handlaggare", "ingen just nu"}
_SUGGESTED = 8
# Where a sentence's recipient was not understood, for the step that asks for it.
PROBLEM = "_problem"


def split_recipient(text: str) -> tuple[str, str | None]:
    """ "Elin till Anna" -> ("Elin", "Anna"); "till Anna" -> ("", "Anna")."""
    folded = f" {text.strip()}".lower()
    at = folded.rfind(" till ")
    if at < 0:
        return text.strip(), None
    return text.strip()[: max(at - 1, 0)].strip(), text.strip()[at + 5 :].strip() or None


def _without_till(text: str) -> str:
    words = text.split(maxsplit=1)
    return words[1] if len(words) == 2 and words[0].lower() == "till" else text


Filter = Callable[[Colleague, dict[str, Any]], bool]


def _anyone(_member: Colleague, _data: dict[str, Any]) -> bool:
    return True


def staff_step(
    context: FlowContext,
    key: str,
    label: str,
    question: str,
    *,
    holders_only: bool = True,
    allow_nobody: bool = False,
    allowed: Filter = _anyone,
) -> Step:
    """Ask for a colleague; `allowed` leaves out those the flow cannot use (e.g. oneself)."""

    async def candidates(data: dict[str, Any]) -> list[Colleague]:
        staff = await context.cases.municipality_staff(context.actor)
        return [
            member
            for member in staff
            if (member.role in CASE_HOLDERS or not holders_only) and allowed(member, data)
        ]

    async def prompt(data: dict[str, Any]) -> Reply:
        names = tuple(member.name for member in (await candidates(data))[:_SUGGESTED])
        problem = data.get(key + PROBLEM)
        text = f"{problem} {question}" if problem else question
        return Reply(text=text, suggestions=names + ((NOBODY,) if allow_nobody else ()))

    async def parse(turn: Turn, data: dict[str, Any]) -> int | None:
        data.pop(key + PROBLEM, None)
        text = _without_till(turn.plain).rstrip(".!")
        folded = text.lower()
        if allow_nobody and folded in _NOBODY:
            data[f"{key}_name"], data[f"{key}_aad"] = None, None
            return None
        found = await candidates(data)
        if folded in _ME:
            chosen = [member for member in found if member.id == context.actor.staff_id]
            if not chosen:
                raise InputError("Det går inte här. Skriv namnet på en kollega.")
        elif text.isdigit():
            chosen = [member for member in found if member.id == int(text)]
        else:
            chosen = _by_name(text, found)
        if not chosen:
            names = ", ".join(member.name for member in found[:_SUGGESTED]) or "ingen"
            raise InputError(
                f"Jag hittar ingen som heter ”{text[:60]}” bland dem du kan välja: {names}."
            )
        if len(chosen) > 1:
            names = ", ".join(member.name for member in chosen)
            raise InputError(f"Flera passar: {names}. Skriv hela namnet.")
        member = chosen[0]
        data[f"{key}_name"], data[f"{key}_aad"] = member.name, member.aad_object_id
        return member.id

    return Step(
        key,
        label,
        prompt,
        parse,
        "Skriv kollegans namn – förnamnet räcker om ingen annan heter så"
        + (", eller **ingen**." if allow_nobody else "."),
    )


def _by_name(text: str, staff: list[Colleague]) -> list[Colleague]:
    scored = []
    for member in staff:
        first, _, last = member.name.partition(" ")
        scored.append((name_score(text, first, last or first), member))
    best = max((score for score, _member in scored), default=0.0)
    if best < NAME_MATCH_SCORE:
        return []
    return [member for score, member in scored if score >= best - NAME_MATCH_WINDOW]


def with_recipient(step: Step, recipient: Step) -> Step:
    """The step, also reading a recipient after "till" ("Elin till Anna"): the recipient is
    kept when it is understood, else the recipient's question says what was wrong."""

    async def parse(turn: Turn, data: dict[str, Any]) -> Any:
        who, to = split_recipient(turn.plain)
        if to is None or turn.value:
            return await step.answer(turn, data)
        try:
            data[recipient.key] = await recipient.answer(Turn(to, None, turn.today), data)
        except InputError as error:
            data[recipient.key + PROBLEM] = str(error)
        if not who:
            raise InputError("Skriv också vilket ärende det gäller.")
        return await step.answer(Turn(who, None, turn.today), data)

    return replace(step, parse=parse)
