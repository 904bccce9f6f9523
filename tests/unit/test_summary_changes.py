"""Reading what a coordinator wants to change at a summary, before anything is saved."""

from __future__ import annotations

import pytest

from dialogs.steps import choice_step, date_step, text_step
from dialogs.summary_changes import CHANGING, change_menu, drop_skipped, read_change
from storage import codes

STEPS = [
    date_step("occurred_on", "Datum", "Vilken dag?", "", when="past"),
    choice_step("channel", "Kanal", "Hur?", codes.CONTACT_CHANNELS, ""),
    choice_step("reason", "Orsak", "Varför?", codes.DEREGISTRATION_REASONS, ""),
    text_step("note", "Förklaring", "Vad?", "", skip_if=lambda data: data.get("reason") != "annan"),
    date_step("follow_up_on", "Uppföljning", "När?", "", when="future"),
]


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("nej", None, None),
        ("Ändra", None, None),
        ("fel", None, None),
        ("ändra datum till 8/1", "occurred_on", "8/1"),
        ("Ändra Datum: igår", "occurred_on", "igår"),
        ("ändra uppföljning 8/1", "follow_up_on", "8/1"),
        ("ändra uppfoljning till om en månad", "follow_up_on", "om en månad"),
        ("rätta förklaring till Flyttar till Norge", "note", "Flyttar till Norge"),
        ("ändra kanal", "channel", None),
        ("ändra något helt annat", None, None),
    ],
)
def test_what_a_text_at_the_summary_asks_to_change(text, key, value):
    change = read_change(STEPS, {}, text)
    assert change is not None
    assert (change.step.key if change.step else None, change.value) == (key, value)


@pytest.mark.parametrize("text", ["ja", "vad har jag idag?", "avbryt", "8/1", "kanal"])
def test_other_texts_ask_no_change(text):
    assert read_change(STEPS, {}, text) is None


def test_after_the_list_a_number_or_a_field_name_picks_one():
    waiting = {CHANGING: True}
    assert read_change(STEPS, waiting, "2").step.key == "channel"
    assert read_change(STEPS, waiting, "uppföljning").step.key == "follow_up_on"
    assert read_change(STEPS, waiting, "9") is None


def test_the_list_is_numbered_and_a_changed_answer_drops_what_no_longer_applies():
    menu = change_menu(STEPS[:2])
    assert "1. Datum\n2. Kanal" in menu and "**ändra datum till …**" in menu
    data = {"reason": "flyttat", "note": "Gammal förklaring", "note_unconfirmed": "x"}
    drop_skipped(STEPS, data)
    assert data == {"reason": "flyttat"}
