"""The pure pieces of the capture dialogs: commands, case numbers, dates, free text, extent."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.commands import match_command
from dialogs.engine import InputError, Turn
from dialogs.occupation import parse_extent
from dialogs.pick_case import _case_number
from dialogs.steps import date_step, text_step

TODAY = date(2026, 3, 18)


def turn(text: str) -> Turn:
    return Turn(text=text, value=None, today=TODAY)


@pytest.mark.parametrize(
    ("text", "flow", "rest", "start"),
    [
        ("logga kontakt", "kontakt", "", {}),
        ("Logga kontakt Elin Andersson", "kontakt", "Elin Andersson", {}),
        ("visa Elin", "visa", "Elin", {}),
        ("VISA ärende 12", "visa", "12", {}),
        ("avsluta insats 12", "avsluta_insats", "12", {}),
        ("avsluta arende Nils", "avsluta_arende", "Nils", {}),
        ("utvardera insats", "utvardera_insats", "", {}),
        ("planera hembesök Saga", "hembesok", "Saga", {"mode": "planera"}),
        ("hembesok gjort", "hembesok", "", {"mode": "resultat"}),
        ("kartläggning!", "plan", "", {}),
        ("sysselsattning 20080315-1234", "sysselsattning", "20080315-1234", {}),
    ],
)
def test_commands(text, flow, rest, start):
    match = match_command(text)
    assert match is not None
    assert (match.flow, match.rest, match.start) == (flow, rest, start)


@pytest.mark.parametrize("text", ["hej", "kontaktperson", "visar", "", "vad har jag idag?"])
def test_not_commands(text):
    assert match_command(text) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", 12),
        ("ärende 12", 12),
        ("#7", 7),
        ("Elin Andersson (ärende 31)", 31),
        ("Elin Andersson (ärende 31, avslutat)", 31),
        ("Elin", None),
        ("20080315-1234", None),
    ],
)
def test_case_numbers(text, number):
    assert _case_number(text) == number


def test_past_and_future_dates_are_refused_with_a_new_question():
    happened = date_step("on", "Datum", "När?", "hjälp", when="past")
    planned = date_step("on", "Datum", "När?", "hjälp", when="future", optional=True)
    assert happened.parse(turn("igår"), {}) == "2026-03-17"
    with pytest.raises(InputError, match="har inte varit än"):
        happened.parse(turn("imorgon"), {})
    with pytest.raises(InputError, match="har redan varit"):
        planned.parse(turn("i måndags"), {})
    assert planned.parse(turn("-"), {}) is None
    assert planned.parse(turn("om 2 veckor"), {}) == "2026-04-01"


def test_a_bound_refuses_an_earlier_date():
    step = date_step(
        "ends_on",
        "Slut",
        "När?",
        "hjälp",
        when="any",
        not_before=lambda data: (date.fromisoformat(data["start"]), "Före starten."),
    )
    with pytest.raises(InputError, match=r"Före starten\. Skriv 2026-03-20"):
        step.parse(turn("2026-03-19"), {"start": "2026-03-20"})
    assert step.parse(turn("2026-03-20"), {"start": "2026-03-20"}) == "2026-03-20"


def test_sensitive_text_is_held_back_until_rewritten_or_kept():
    step = text_step("note", "Anteckning", "Anteckning?", "hjälp", optional=True)
    data: dict = {}
    with pytest.raises(InputError) as warned:
        step.parse(turn("Hon har fått diagnosen autism"), data)
    assert "”diagnosen”" in str(warned.value) and "”autism”" in str(warned.value)
    assert "note" not in data and data["note_unconfirmed"].endswith("autism")
    assert step.parse(turn("spara ändå"), data) == "Hon har fått diagnosen autism"
    assert "note_unconfirmed" not in data
    with pytest.raises(InputError):
        step.parse(turn("Han mår dåligt av sin depression"), data)
    assert step.parse(turn("Vill börja plugga"), data) == "Vill börja plugga"
    assert "note_unconfirmed" not in data
    assert step.parse(turn("-"), data) is None


def test_spara_anda_without_a_warning_is_just_text():
    step = text_step("note", "Anteckning", "Anteckning?", "hjälp")
    assert step.parse(turn("spara ändå"), {}) == "spara ändå"


@pytest.mark.parametrize(
    ("text", "extent"),
    [("heltid", 100), ("50", 50), ("deltid 75 %", 75), ("25%", 25), ("-", 100)],
)
def test_extent(text, extent):
    assert parse_extent(turn(text), {}) == extent


@pytest.mark.parametrize("text", ["0", "150", "lite", "halvtid"])
def test_bad_extent(text):
    with pytest.raises(InputError):
        parse_extent(turn(text), {})
