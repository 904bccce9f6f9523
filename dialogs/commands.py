"""The Swedish commands that start a flow: "logga kontakt Elin", "visa 12", "ny insats".

One table, so intent recognition for free-text questions can be plugged in beside it.
A command may carry starting data (which answers a step up front) and a rest: the words
after the command, fed to the flow as the answer to its first question ("visa Elin").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from storage.swedish_text import SWEDISH_FOLD


@dataclass(frozen=True)
class Command:
    flow: str
    start: dict[str, Any] = field(default_factory=dict)
    # The words after it are always its own ("överlämna mina ärenden till Anna"), never a
    # quick question or a report, as they may be after "visa".
    literal: bool = False


@dataclass(frozen=True)
class CommandMatch:
    flow: str
    start: dict[str, Any]
    rest: str
    literal: bool = False


COMMANDS: dict[str, Command] = {
    "registrera": Command("registrera"),
    "registrera ungdom": Command("registrera"),
    "ny ungdom": Command("registrera"),
    "logga kontakt": Command("kontakt"),
    "ny kontakt": Command("kontakt"),
    "kontakt": Command("kontakt"),
    "plan": Command("plan"),
    "planering": Command("plan"),
    "kartläggning": Command("plan"),
    "samtycke": Command("samtycke"),
    "återkalla samtycke": Command("samtycke", {"consent_action": "aterkalla"}),
    "ny insats": Command("insats"),
    "insats": Command("insats"),
    "avsluta insats": Command("avsluta_insats"),
    "utvärdera insats": Command("utvardera_insats"),
    "utvärdering": Command("utvardera_insats"),
    "hembesök": Command("hembesok"),
    "planera hembesök": Command("hembesok", {"mode": "planera"}),
    "hembesök gjort": Command("hembesok", {"mode": "resultat"}),
    "dokumentera hembesök": Command("hembesok", {"mode": "resultat"}),
    "sysselsättning": Command("sysselsattning"),
    "avsluta ärende": Command("avsluta_arende"),
    "avregistrera": Command("avsluta_arende"),
    "visa": Command("visa"),
    "visa ärende": Command("visa"),
    "öppna ärende": Command("visa"),
    "ändra": Command("andra"),
    "ändra uppgifter": Command("andra"),
    "rätta": Command("andra"),
    "ta bort": Command("andra", {"removing": True}),
    "lägg till handläggare": Command("lagg_till_handlaggare"),
    "skriv brev": Command("skriv_brev"),
    "skriv ut brev": Command("skriv_brev"),
    "brev": Command("skriv_brev"),
    "kontaktbrev": Command("skriv_brev", {"letter_kind": "kontaktbrev"}),
    "påminnelsebrev": Command("skriv_brev", {"letter_kind": "paminnelsebrev"}),
    "lägg till personal": Command("lagg_till_handlaggare"),
    "ta": Command("ta_arende", literal=True),
    "ta ärende": Command("ta_arende", literal=True),
    "ta ärendet": Command("ta_arende", literal=True),
    "tilldela": Command("tilldela", literal=True),
    "tilldela ärende": Command("tilldela", literal=True),
    "byt handläggare": Command("tilldela", literal=True),
    "byt handläggare för": Command("tilldela", literal=True),
    "överlämna": Command("overlamna", literal=True),
    "lämna över": Command("overlamna", literal=True),
    "överlämna mina ärenden": Command("overlamna", {"cases": "alla"}, literal=True),
    "lämna över mina ärenden": Command("overlamna", {"cases": "alla"}, literal=True),
    "avaktivera": Command("avaktivera", literal=True),
    "avaktivera handläggare": Command("avaktivera", literal=True),
    "avaktivera personal": Command("avaktivera", literal=True),
    "ta bort handläggare": Command("avaktivera", literal=True),
    "ta bort personal": Command("avaktivera", literal=True),
    "hjälp rutin": Command("rutin_hjalp"),
    "rutin": Command("rutin"),
    "ändra rutin": Command("rutin"),
    "scb perioder": Command("scb_perioder"),
    "scb datum": Command("scb_datum"),
    "scb kodlista": Command("scb_kodlista"),
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
