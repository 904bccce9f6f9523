"""The quick-question recogniser on real phrasings: typos, no å/ä/ö, any case."""

from __future__ import annotations

import pytest

from dialogs.intents import Intent, recognise

PHRASINGS = [
    # vad har jag idag?
    ("vad har jag idag?", Intent.TODAY),
    ("Vad har jag idag", Intent.TODAY),
    ("VAD HAR JAG IDAG", Intent.TODAY),
    ("vad har jag i dag?", Intent.TODAY),
    ("vad har jg idag", Intent.TODAY),
    ("vad ha jag idag", Intent.TODAY),
    ("vad har jag idga", Intent.TODAY),
    ("vad ska jag göra idag?", Intent.TODAY),
    ("vad ska jag gora idag", Intent.TODAY),
    ("idag", Intent.TODAY),
    ("mina påminnelser", Intent.TODAY),
    ("mina paminnelser", Intent.TODAY),
    ("påminelser", Intent.TODAY),
    ("vad har jag att göra idag", Intent.TODAY),
    # försenade
    ("försenade", Intent.OVERDUE),
    ("forsenade", Intent.OVERDUE),
    ("Försenat", Intent.OVERDUE),
    ("forsennade", Intent.OVERDUE),
    ("vad är försenat?", Intent.OVERDUE),
    ("vilka är försenade", Intent.OVERDUE),
    ("visa försenade", Intent.OVERDUE),
    ("vad har jag misat", Intent.OVERDUE),
    # vilka har jag inte nått?
    ("vilka har jag inte nått?", Intent.NOT_REACHED),
    ("vilka har jag inte natt", Intent.NOT_REACHED),
    ("Vilka har jag inte nått", Intent.NOT_REACHED),
    ("vilka har jag inte fått kontakt med", Intent.NOT_REACHED),
    ("vilka har ja inte nått", Intent.NOT_REACHED),
    ("ej nådda", Intent.NOT_REACHED),
    ("inte nadda", Intent.NOT_REACHED),
    ("utan kontakt", Intent.NOT_REACHED),
    # hur många är inskrivna?
    ("hur många är inskrivna?", Intent.ENROLLED),
    ("hur manga ar inskrivna", Intent.ENROLLED),
    ("hur måga är inskrivan", Intent.ENROLLED),
    ("Hur många inskrivna", Intent.ENROLLED),
    ("antal inskrivna", Intent.ENROLLED),
    ("hur många ungdomar har vi?", Intent.ENROLLED),
    # mina ärenden
    ("mina ärenden", Intent.MY_CASES),
    ("mina arenden", Intent.MY_CASES),
    ("Mina ärenen", Intent.MY_CASES),
    ("visa mina ärenden", Intent.MY_CASES),
    ("mina ungdomar", Intent.MY_CASES),
    ("vilka har jag", Intent.MY_CASES),
    # nya denna vecka
    ("nya denna vecka", Intent.NEW_THIS_WEEK),
    ("nya dena vecka", Intent.NEW_THIS_WEEK),
    ("Nya den här veckan", Intent.NEW_THIS_WEEK),
    ("nya den har veckan", Intent.NEW_THIS_WEEK),
    ("nya i veckan?", Intent.NEW_THIS_WEEK),
    ("nya ärenden", Intent.NEW_THIS_WEEK),
    # vilka fyller 20 snart?
    ("vilka fyller 20 snart?", Intent.TURNING_20),
    ("vilka fyller 20 snart", Intent.TURNING_20),
    ("vilka fyler 20 snart", Intent.TURNING_20),
    ("vem fyller 20?", Intent.TURNING_20),
    ("fyller 20", Intent.TURNING_20),
    ("vilka fyller tjugo", Intent.TURNING_20),
    # statistik / nyckeltal
    ("statistik", Intent.KPI),
    ("Statistik", Intent.KPI),
    ("statistk", Intent.KPI),
    ("nyckeltal", Intent.KPI),
    ("nyckletal", Intent.KPI),
    ("visa statistik", Intent.KPI),
    ("nyckeltal 2026H1", Intent.KPI),
    ("statistik 2025/26", Intent.KPI),
    # scb
    ("scb", Intent.SCB),
    ("SCB", Intent.SCB),
    ("scb-filen", Intent.SCB),
    ("scb rapport", Intent.SCB),
    ("scb 2026H1", Intent.SCB),
    ("rapportera till scb", Intent.SCB),
    # granskning
    ("granskning", Intent.GRANSKNING),
    ("Granskning", Intent.GRANSKNING),
    ("graskning", Intent.GRANSKNING),
    ("granskningen", Intent.GRANSKNING),
    ("vad saknas?", Intent.GRANSKNING),
    ("är vi redo för granskning?", Intent.GRANSKNING),
    # visa Elin / visa 0501…
    ("visa Elin", Intent.SHOW_CASE),
    ("Visa elin andersson", Intent.SHOW_CASE),
    ("vsia Elin", Intent.SHOW_CASE),
    ("öppna Elin", Intent.SHOW_CASE),
    ("oppna Noah", Intent.SHOW_CASE),
    ("visa 0501011234", Intent.SHOW_CASE),
    ("visa 20050101-1234", Intent.SHOW_CASE),
    ("200501011234", Intent.SHOW_CASE),
]


def test_the_table_is_big_enough():
    assert len(PHRASINGS) >= 60


@pytest.mark.parametrize(("text", "intent"), PHRASINGS)
def test_phrasing(text, intent):
    assert recognise(text).intent == intent


@pytest.mark.parametrize(
    ("text", "argument"),
    [
        ("visa Elin", "Elin"),
        ("Visa elin andersson", "elin andersson"),
        ("öppna 0501011234", "0501011234"),
        ("200501011234", "200501011234"),
    ],
)
def test_show_case_keeps_the_name_as_typed(text, argument):
    assert recognise(text).argument == argument


@pytest.mark.parametrize(
    ("text", "period"),
    [("nyckeltal 2026H1", "2026H1"), ("statistik 2026-03", "2026-03"), ("scb 2025/26", "2025/26")],
)
def test_a_period_is_kept(text, period):
    assert recognise(text).period == period


@pytest.mark.parametrize(
    ("text", "period", "as_file"),
    [
        ("nyckeltal 2026H1 excel", "2026H1", True),
        ("nyckeltal som Excel", None, True),
        ("statistik 2025/26 xlsx", "2025/26", True),
        ("nyckeltal 2026H1", "2026H1", False),
    ],
)
def test_the_key_figures_may_be_asked_for_as_a_spreadsheet(text, period, as_file):
    recognition = recognise(text)
    assert (recognition.intent, recognition.period, recognition.as_file) == (
        Intent.KPI,
        period,
        as_file,
    )


@pytest.mark.parametrize(
    "text",
    [
        "logga kontakt Elin",
        "registrera",
        "hej",
        "ny insats",
        "avsluta ärende",
        "kaffe",
        "jag",
        "hur går det för Elin",
    ],
)
def test_commands_and_chat_are_no_quick_question(text):
    assert recognise(text).intent is None


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("vad gör jag nu", "vad har jag idag?"),
        ("nya", "nya denna vecka"),
        ("fyller", "vilka fyller 20 snart?"),
        ("vilka", "vilka har jag inte nått?"),
    ],
)
def test_unclear_input_gets_suggestions(text, suggested):
    result = recognise(text)
    assert result.intent is None
    assert suggested in result.suggestions


def test_chat_gets_no_suggestions():
    assert recognise("kaffe").suggestions == ()
