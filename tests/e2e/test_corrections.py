"""Playground: a field changed at the summary before saving, a saved youth's phone number
corrected with `ändra`, and the case view showing the change."""

from __future__ import annotations

from datetime import date

import pytest

from storage.demo import fictitious_personnummer
from tests.e2e.playground import PlaygroundPage

pytestmark = pytest.mark.e2e

FIRST_NAME = "Rättvisa"
LAST_NAME = "Ändringsdotter"
# Between 18 and 20 for years to come: no guardian question. The bot runs on today's date.
PERSONNUMMER = fictitious_personnummer(date(date.today().year - 19, 2, 3), 66, "kvinna")
OLD_PHONE = "070-111 22 33"
NEW_PHONE = "070-555 66 77"


def _answer(playground: PlaygroundPage, text: str, expected: str) -> str:
    playground.send(text)
    return playground.wait_for_bot_text(expected, timeout=20)


def test_change_at_the_summary_then_correct_the_phone_and_see_it(
    playground: PlaygroundPage,
) -> None:
    _answer(playground, "registrera", "personnummer")
    _answer(playground, PERSONNUMMER, "förnamn")
    _answer(playground, FIRST_NAME, "efternamn")
    _answer(playground, LAST_NAME, "Vilket datum")
    _answer(playground, "idag", "orsaken till registreringen")
    _answer(playground, "inflyttad", "Varifrån kom uppgiften")
    _answer(playground, "inflyttad", "skyddade personuppgifter")
    _answer(playground, "nej", "telefonnummer")
    _answer(playground, "070-000 00 00", "e-postadress")
    _answer(playground, "-", "gatuadress")
    _answer(playground, "-", "handläggare")
    summary = _answer(playground, "jag", "Stämmer det här?")
    assert "070-000 00 00" in summary

    # One field changed at the summary; the rest stays as it was.
    summary = _answer(playground, f"ändra telefon till {OLD_PHONE}", "Stämmer det här?")
    assert OLD_PHONE in summary and f"{FIRST_NAME} {LAST_NAME}" in summary
    _answer(playground, "ja", "registrerad i ärende")

    # After saving: `ändra` names what can be changed, and the phone number is corrected.
    offer = _answer(playground, f"ändra {FIRST_NAME} {LAST_NAME}", "Vad vill du ändra")
    assert "telefon" in offer and "vårdnadshavare" in offer and "adress" in offer
    _answer(playground, "telefon", OLD_PHONE)
    summary = _answer(playground, NEW_PHONE, "Stämmer det här?")
    assert f"{OLD_PHONE} → {NEW_PHONE}" in summary
    _answer(playground, "ja", "Klart!")

    playground.send(f"visa {FIRST_NAME} {LAST_NAME}")
    shown = playground.wait_for_card(f"{FIRST_NAME} {LAST_NAME}", timeout=20).inner_text()
    assert NEW_PHONE in shown and OLD_PHONE not in shown
