"""Greetings and thanks get a short friendly answer; anything more is left to the rest."""

from __future__ import annotations

import pytest

from dialogs import texts
from dialogs.small_talk import small_talk_reply


@pytest.mark.parametrize("said", ["hej", "Hej!", "hejsan", "Hallå", "god morgon", "tjena :)"])
def test_a_greeting_is_greeted(said: str) -> None:
    reply = small_talk_reply(said)
    assert reply is not None and reply.text == texts.GREETING
    assert "hjälp" in reply.suggestions


@pytest.mark.parametrize("said", ["tack", "Tack!", "tack så mycket", "TUSEN TACK", "tackar"])
def test_thanks_get_a_welcome(said: str) -> None:
    reply = small_talk_reply(said)
    assert reply is not None and reply.text == texts.THANKS


@pytest.mark.parametrize(
    "said", ["hej! ringde Elin nyss, hon svarade", "tack Elin", "visa hej", "hjälp", ""]
)
def test_more_than_a_greeting_is_not_small_talk(said: str) -> None:
    assert small_talk_reply(said) is None
