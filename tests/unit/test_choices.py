"""A typed pick is an answer only as a number, a code, a label or a close typo of one."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.choices import parse_choice, parse_yes_no
from dialogs.engine import NotAnAnswer, Turn
from storage import codes

TODAY = date(2026, 3, 18)


def pick(text: str, options: dict[str, str]) -> str:
    return parse_choice(Turn(text, None, TODAY), "key", options)


@pytest.mark.parametrize(
    ("text", "options", "code"),
    [
        ("1", codes.DEREGISTRATION_REASONS, "fyllt_20"),
        ("fyllt_20", codes.DEREGISTRATION_REASONS, "fyllt_20"),
        ("Fyllt 20 år", codes.DEREGISTRATION_REASONS, "fyllt_20"),
        ("fyllt 20", codes.DEREGISTRATION_REASONS, "fyllt_20"),
        ("fylt 20 år", codes.DEREGISTRATION_REASONS, "fyllt_20"),
        ("telefn", codes.CONTACT_CHANNELS, "telefon"),
        ("mote", codes.CONTACT_CHANNELS, "mote"),
        ("ej hemma", codes.HOME_VISIT_OUTCOMES, "ej_hemma"),
        ("komvux", codes.OCCUPATIONS, "studier_komvux"),
        ("studier komvux", codes.OCCUPATIONS, "studier_komvux"),
        ("gymnasieskola", codes.SOURCES, "gymnasieskola"),
        ("avbrott nationellt", codes.REGISTRATION_REASONS, "avbrott_nationellt"),
        ("vårdnadshavre", codes.COUNTERPARTS, "vardnadshavare"),
    ],
)
def test_numbers_codes_labels_their_parts_and_typos_are_answers(text, options, code):
    assert pick(text, options) == code


@pytest.mark.parametrize(
    ("text", "options"),
    [
        # The quick question that once closed a 17-year-old's case as "fyllt 20 år".
        ("vilka fyller 20 snart?", codes.DEREGISTRATION_REASONS),
        ("fyller 20", codes.DEREGISTRATION_REASONS),
        ("vad har jag idag?", codes.CONTACT_CHANNELS),
        ("studier", codes.OCCUPATIONS),  # a word of several labels picks none
        ("9", codes.CONTACT_OUTCOMES),
        ("", codes.CONTACT_OUTCOMES),
    ],
)
def test_anything_else_is_no_answer(text, options):
    with pytest.raises(NotAnAnswer):
        pick(text, options)


def test_a_clicked_value_wins_and_yes_or_no_is_strict():
    assert parse_choice(Turn("", {"key": "sms"}, TODAY), "key", codes.CONTACT_CHANNELS) == "sms"
    assert parse_yes_no(Turn("Ja!", None, TODAY), "confirm") is True
    assert parse_yes_no(Turn("nej", None, TODAY), "confirm") is False
    with pytest.raises(NotAnAnswer):
        parse_yes_no(Turn("nyckeltal", None, TODAY), "confirm")
