"""The caseload commands win over quick questions; fördela and arbetsfördelning are asked."""

from __future__ import annotations

import pytest

from dialogs.commands import match_command
from dialogs.intents import Intent, recognise
from dialogs.pick_staff import split_recipient


@pytest.mark.parametrize(
    ("text", "flow", "rest", "start"),
    [
        ("ta ärende 12", "ta_arende", "12", {}),
        ("ta Elin", "ta_arende", "Elin", {}),
        ("Tilldela Elin till Anna", "tilldela", "Elin till Anna", {}),
        ("byt handläggare för Elin till Anna", "tilldela", "Elin till Anna", {}),
        ("överlämna mina ärenden till Anna", "overlamna", "till Anna", {"cases": "alla"}),
        ("lamna over mina arenden till Anna", "overlamna", "till Anna", {"cases": "alla"}),
        ("lämna över Elin och Omar till Anna", "overlamna", "Elin och Omar till Anna", {}),
        ("avaktivera Anna", "avaktivera", "Anna", {}),
        ("ta bort handläggare Anna", "avaktivera", "Anna", {}),
    ],
)
def test_caseload_commands_take_the_words_after_them(text, flow, rest, start):
    match = match_command(text)
    assert match is not None and match.literal
    assert (match.flow, match.rest, match.start) == (flow, rest, start)


def test_visa_still_lets_a_question_through():
    match = match_command("visa försenade")
    assert match is not None and not match.literal
    # "överlämna mina ärenden" holds a quick question's words; the command wins over them.
    assert recognise("överlämna mina ärenden till Anna").intent == Intent.MY_CASES


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("fördela", Intent.DISTRIBUTE),
        ("fordela arenden", Intent.DISTRIBUTE),
        ("ofördelade ärenden", Intent.DISTRIBUTE),
        ("vilka saknar handläggare?", Intent.DISTRIBUTE),
        ("arbetsfördelning", Intent.WORKLOAD),
        ("arbetsfordelningen", Intent.WORKLOAD),
        ("vem har vad", Intent.WORKLOAD),
        ("mina ärenden", Intent.MY_CASES),
        ("vilka saknar kontakt", Intent.NOT_REACHED),
        ("utan kontakt", Intent.NOT_REACHED),
    ],
)
def test_fordela_and_arbetsfordelning_are_questions(text, intent):
    assert recognise(text).intent == intent


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Elin till Anna", ("Elin", "Anna")),
        ("till Anna Ek", ("", "Anna Ek")),
        ("Elin och Omar TILL Anna", ("Elin och Omar", "Anna")),
        ("Elin", ("Elin", None)),
        ("Elin till", ("Elin till", None)),
    ],
)
def test_split_recipient(text, parts):
    assert split_recipient(text) == parts
