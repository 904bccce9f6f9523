"""Playground: register a youth with the card, log a contact answer by answer, one in a single
sentence and a home visit, `visa` shows them all with their notes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from storage.demo import fictitious_personnummer
from tests.e2e.playground import PlaygroundPage

pytestmark = pytest.mark.e2e

FIRST_NAME = "Kortina"
LAST_NAME = "Playgrunden"
# Born so that she is between 18 and 20 for years to come: no guardian question.
PERSONNUMMER = fictitious_personnummer(date(date.today().year - 19, 1, 2), 55, "kvinna")


def _answer(playground: PlaygroundPage, text: str, expected: str) -> str:
    playground.send(text)
    return playground.wait_for_bot_text(expected, timeout=20)


def test_register_by_card_log_contacts_by_text_and_in_one_sentence_and_show(
    playground: PlaygroundPage,
) -> None:
    playground.send("registrera")
    card = playground.wait_for_card("Registrera ungdom", timeout=20)
    playground.fill_card(
        card,
        {
            "Personnummer eller samordningsnummer": PERSONNUMMER,
            "Förnamn": FIRST_NAME,
            "Efternamn": LAST_NAME,
            "Registreringsdatum": date.today().isoformat(),
            "Orsak till registrering": "inflyttad",
            "Källa": "inflyttad",
        },
    )
    playground.submit_card(card, "Registrera")
    playground.wait_for_bot_text("registrerad i ärende", timeout=20)

    _answer(playground, f"logga kontakt {FIRST_NAME} {LAST_NAME}", "Vilken dag var kontakten?")
    _answer(playground, "idag", "Hur tog du kontakt?")
    _answer(playground, "telefon", "Vem hade du kontakt med?")
    _answer(playground, "ungdomen", "Hur gick det?")
    _answer(playground, "nådd", "Fick du veta vad ungdomen gör nu?")
    _answer(playground, "-", "Vill du skriva en kort anteckning?")
    summary = _answer(playground, "Bokade ett möte på tisdag", "Stämmer det här?")
    assert f"{FIRST_NAME} {LAST_NAME}" in summary
    _answer(playground, "ja", "Klart!")

    # The same in one sentence: everything is filled in, `ja` saves it.
    summary = _answer(
        playground, f"ringde {FIRST_NAME}s mamma igår men fick inget svar", "Stämmer det här?"
    )
    assert "Med: vårdnadshavare" in summary and "Utfall: ej nådd" in summary
    # Yesterday lies before today's registration: asked about, not refused.
    _answer(playground, "ja", "ligger före registreringen")
    _answer(playground, "ja", "Klart!")

    # A home visit in one sentence; the flow asks for a companion only when there is one.
    first = _answer(
        playground,
        f"hembesök hos {FIRST_NAME} idag, ingen hemma",
        "jag har fyllt i det jag förstod",
    )
    if "Stämmer det här?" not in first:
        _answer(playground, "-", "Stämmer det här?")
    _answer(playground, "ja", "Klart!")

    playground.send(f"visa {FIRST_NAME}")
    shown = playground.wait_for_card(f"{FIRST_NAME} {LAST_NAME}", timeout=20).inner_text()
    assert f"{PERSONNUMMER[:8]}-{PERSONNUMMER[8:]}" in shown
    assert "inflyttad" in shown
    today = date.today().isoformat()
    assert f"{today} · telefon · ungdomen · nådd: ”Bokade ett möte på tisdag”" in shown
    yesterday = date.today() - timedelta(days=1)
    assert f"{yesterday.isoformat()} · telefon · vårdnadshavare · ej nådd" in shown
    assert f"{today} · ej hemma – infoblad lämnat" in shown
    assert "Kommande påminnelser" in shown and "(nr" not in shown
