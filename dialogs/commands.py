"""The Swedish commands that start a flow: "logga kontakt Elin", "visa 12", "ny insats".

One table, so intent recognition for free-text questions can be plugged in beside it.
A command may carry starting data (which answers a step up front) and a rest: the words
after the command, fed to the flow as the answer to its first question ("visa Elin").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogs.flow_names import FlowName, OneShotName
from storage.swedish_text import SWEDISH_FOLD


@dataclass(frozen=True)
class Command:
    flow: FlowName | OneShotName
    start: dict[str, Any] = field(default_factory=dict)
    # The words after it are always its own ("överlämna mina ärenden till Anna"), never a
    # quick question or a report, as they may be after "visa".
    literal: bool = False


@dataclass(frozen=True)
class CommandMatch:
    flow: FlowName | OneShotName
    start: dict[str, Any]
    rest: str
    literal: bool = False


COMMANDS: dict[str, Command] = {
    "registrera": Command(FlowName.REGISTER),
    "registrera ungdom": Command(FlowName.REGISTER),
    "ny ungdom": Command(FlowName.REGISTER),
    "logga kontakt": Command(FlowName.CONTACT),
    "ny kontakt": Command(FlowName.CONTACT),
    "kontakt": Command(FlowName.CONTACT),
    "plan": Command(FlowName.PLAN),
    "planering": Command(FlowName.PLAN),
    "kartläggning": Command(FlowName.PLAN),
    "samtycke": Command(FlowName.CONSENT),
    "återkalla samtycke": Command(FlowName.CONSENT, {"consent_action": "aterkalla"}),
    "ny insats": Command(FlowName.NEW_MEASURE),
    "insats": Command(FlowName.NEW_MEASURE),
    "avsluta insats": Command(FlowName.END_MEASURE),
    "utvärdera insats": Command(FlowName.EVALUATE_MEASURE),
    "utvärdering": Command(FlowName.EVALUATE_MEASURE),
    "hembesök": Command(FlowName.HOME_VISIT),
    "planera hembesök": Command(FlowName.HOME_VISIT, {"mode": "planera"}),
    "hembesök gjort": Command(FlowName.HOME_VISIT, {"mode": "resultat"}),
    "dokumentera hembesök": Command(FlowName.HOME_VISIT, {"mode": "resultat"}),
    "sysselsättning": Command(FlowName.OCCUPATION),
    "avsluta ärende": Command(FlowName.CLOSE_CASE),
    "avregistrera": Command(FlowName.CLOSE_CASE),
    "visa": Command(FlowName.SHOW_CASE),
    "visa ärende": Command(FlowName.SHOW_CASE),
    "öppna ärende": Command(FlowName.SHOW_CASE),
    "ändra": Command(FlowName.CORRECT),
    "ändra uppgifter": Command(FlowName.CORRECT),
    "rätta": Command(FlowName.CORRECT),
    "ta bort": Command(FlowName.CORRECT, {"removing": True}),
    "lägg till handläggare": Command(FlowName.ADD_STAFF),
    "skriv brev": Command(FlowName.WRITE_LETTERS),
    "skriv ut brev": Command(FlowName.WRITE_LETTERS),
    "brev": Command(FlowName.WRITE_LETTERS),
    "kontaktbrev": Command(FlowName.WRITE_LETTERS, {"letter_kind": "kontaktbrev"}),
    "påminnelsebrev": Command(FlowName.WRITE_LETTERS, {"letter_kind": "paminnelsebrev"}),
    "lägg till personal": Command(FlowName.ADD_STAFF),
    "ta": Command(FlowName.TAKE_CASE, literal=True),
    "ta ärende": Command(FlowName.TAKE_CASE, literal=True),
    "ta ärendet": Command(FlowName.TAKE_CASE, literal=True),
    "tilldela": Command(FlowName.ASSIGN_CASE, literal=True),
    "tilldela ärende": Command(FlowName.ASSIGN_CASE, literal=True),
    "byt handläggare": Command(FlowName.ASSIGN_CASE, literal=True),
    "byt handläggare för": Command(FlowName.ASSIGN_CASE, literal=True),
    "överlämna": Command(FlowName.HAND_OVER, literal=True),
    "lämna över": Command(FlowName.HAND_OVER, literal=True),
    "överlämna mina ärenden": Command(FlowName.HAND_OVER, {"cases": "alla"}, literal=True),
    "lämna över mina ärenden": Command(FlowName.HAND_OVER, {"cases": "alla"}, literal=True),
    "avaktivera": Command(FlowName.DEACTIVATE_STAFF, literal=True),
    "avaktivera handläggare": Command(FlowName.DEACTIVATE_STAFF, literal=True),
    "avaktivera personal": Command(FlowName.DEACTIVATE_STAFF, literal=True),
    "ta bort handläggare": Command(FlowName.DEACTIVATE_STAFF, literal=True),
    "ta bort personal": Command(FlowName.DEACTIVATE_STAFF, literal=True),
    "hjälp rutin": Command(OneShotName.SHOW_ROUTINE),
    "rutin": Command(OneShotName.CHANGE_ROUTINE),
    "ändra rutin": Command(OneShotName.CHANGE_ROUTINE),
    "scb perioder": Command(OneShotName.SCB_PERIODS),
    "scb datum": Command(OneShotName.SCB_DEADLINE),
    "scb kodlista": Command(OneShotName.SCB_CODE_LIST),
}

# Longest first, so "avsluta insats" wins over a shorter phrase it starts with.
_PHRASES = sorted(
    ((phrase.translate(SWEDISH_FOLD), command) for phrase, command in COMMANDS.items()),
    key=lambda item: -len(item[0]),
)


def match_command(text: str) -> CommandMatch | None:
    """The command the text starts with, and the words after it; case and å/ä/ö do not matter."""
    original = text.strip().rstrip(" !.?")
    folded = original.lower().translate(SWEDISH_FOLD)
    for phrase, command in _PHRASES:
        if folded == phrase or folded.startswith(phrase + " "):
            rest = original[len(phrase) :].strip()
            return CommandMatch(command.flow, dict(command.start), rest, command.literal)
    return None
