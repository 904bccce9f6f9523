"""Överlämna: a coordinator hands over their active cases, all or chosen ones, to a colleague
("överlämna mina ärenden till Anna", "lämna över Elin och Omar till Anna").

The cases to choose from are the coordinator's own active ones; a name is compared with
them without an audit entry (as the name search does), the cases the card or the summary
shows are audited as listed. Storage moves only cases that are still the coordinator's.
"""

from __future__ import annotations

import re
from typing import Any

from dialogs.cards import fill_card
from dialogs.context import FlowContext
from dialogs.engine import Flow, InputError, Reply, Step, Turn
from dialogs.pick_staff import staff_step, with_recipient
from dialogs.steps import confirm_step
from storage.access import CASE_HOLDERS
from storage.audit import record_reads
from storage.case_queries import NAME_MATCH_SCORE, CaseName, name_score
from storage.cases import CaseError, NotAllowed
from storage.sessions import transaction

NAME = "overlamna"
CASES = "cases"
ALL = "alla"
RECIPIENT = "to_staff_id"
# The card lists at most this many cases to tick; more are handed over with "alla" or by name.
CARD_LIMIT = 60

_ALL_WORDS = {ALL, "allt", "samtliga", "alla mina", "alla mina ärenden", "alla mina arenden"}
_SEPARATORS = re.compile(r"\s*(?:,|;|\boch\b|&)\s*", re.IGNORECASE)
_CASE_NUMBER = re.compile(r"(?:(?:ärende|arende|nr|#)\s*)?(\d{1,9})", re.IGNORECASE)

NOT_A_HOLDER = (
    "Som chef har du inga egna ärenden att lämna över. Skriv **tilldela** följt av ungdomens "
    "namn och kollegans, till exempel **tilldela Elin till Anna**."
)


def _label(name: CaseName) -> str:
    return f"{name.first_name} {name.last_name} (ärende {name.case_id})"


def _pick(part: str, mine: list[CaseName]) -> CaseName:
    number = _CASE_NUMBER.fullmatch(part)
    if number:
        found = [name for name in mine if name.case_id == int(number[1])]
        if not found:
            raise InputError(f"Ärende {number[1]} är inte ett av dina aktiva ärenden.")
        return found[0]
    scored = sorted(
        ((name_score(part, name.first_name, name.last_name), name) for name in mine),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < NAME_MATCH_SCORE:
        raise InputError(f"Jag hittar ingen som heter ”{part[:60]}” bland dina ärenden.")
    close = [name for score, name in scored if score >= scored[0][0] - 1]
    if len(close) > 1:
        labels = ", ".join(_label(name) for name in close)
        raise InputError(f"Flera av dina ärenden passar ”{part[:60]}”: {labels}. Skriv numret.")
    return scored[0][1]


def _cases_step(context: FlowContext) -> Step:
    async def mine() -> list[CaseName]:
        return [name for name in await context.queries.names(context.actor) if name.mine]

    async def prompt(_data: dict[str, Any]) -> Reply:
        cases = (await mine())[:CARD_LIMIT]
        if not cases:
            return Reply(text="Du har inga aktiva ärenden att lämna över. Skriv **avbryt**.")
        async with transaction(context.source) as session:
            await record_reads(session, context.actor, "case.list", [n.case_id for n in cases])
        card = fill_card(
            "handover",
            {CASES: ",".join(str(name.case_id) for name in cases)},
            choices={CASES: {str(name.case_id): _label(name) for name in cases}},
            submit={"flow": NAME},
        )
        return Reply(
            text="Vilka ärenden vill du lämna över? Skriv **alla**, eller namn eller "
            "ärendenummer med komma emellan – eller bocka i kortet.",
            card=card,
            suggestions=(ALL,),
        )

    async def parse(turn: Turn, data: dict[str, Any]) -> str | list[int]:
        text = turn.plain.rstrip(".!")
        if text.lower() in _ALL_WORDS:
            return ALL
        parts = [part for part in _SEPARATORS.split(text) if part]
        if not parts:
            raise InputError("Skriv **alla**, eller vilka ärenden: namn eller ärendenummer.")
        cases = await mine()
        chosen = sorted({_pick(part, cases).case_id for part in parts})
        labels = {name.case_id: _label(name) for name in cases}
        data["case_labels"] = [labels[case_id] for case_id in chosen]
        return chosen

    return Step(
        CASES,
        "Ärenden",
        prompt,
        parse,
        "Skriv **alla** för alla dina aktiva ärenden, eller namnen eller ärendenumren på dem "
        "du vill lämna över, till exempel *Elin, Omar* eller *12, 14*.",
    )


def _summary(data: dict[str, Any]) -> list[str]:
    whom = data[RECIPIENT + "_name"]
    if data[CASES] == ALL:
        return [f"Alla dina aktiva ärenden lämnas över till {whom}."]
    return [f"{label} lämnas över till {whom}." for label in data.get("case_labels", [])]


def handover_flow(context: FlowContext) -> Flow:
    if context.actor.role not in CASE_HOLDERS:
        raise NotAllowed(NOT_A_HOLDER)
    recipient = staff_step(
        context,
        RECIPIENT,
        "Till vem",
        "Vem ska ta över ärendena?",
        allowed=lambda member, _data: member.id != context.actor.staff_id,
    )

    async def finish(data: dict[str, Any], _turn: Turn) -> list[Reply]:
        chosen = None if data[CASES] == ALL else data[CASES]
        try:
            done = await context.cases.hand_over(context.actor, data[RECIPIENT], chosen)
        except CaseError as error:
            return [Reply(text=str(error))]
        if not done.moved:
            return [Reply(text="Du hade inga aktiva ärenden att lämna över – inget ändrades.")]
        count = "1 ärende" if len(done.moved) == 1 else f"{len(done.moved)} ärenden"
        text = f"Klart! {count} har lämnats över till {done.to_name}."
        if done.skipped:
            numbers = ", ".join(str(case_id) for case_id in done.skipped)
            text += f" Ärende {numbers} var inte längre ditt och flyttades inte."
        return [Reply(text=text, suggestions=("mina ärenden",))]

    return Flow(
        name=NAME,
        title="Lämna över ärenden",
        steps=(with_recipient(_cases_step(context), recipient), recipient, confirm_step(_summary)),
        finish=finish,
    )
