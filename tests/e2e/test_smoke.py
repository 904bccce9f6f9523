"""Smoke: the bot greets on install and answers `hjälp` in the Playground's personal chat."""

from __future__ import annotations

import pytest

from tests.e2e.playground import PlaygroundPage

pytestmark = pytest.mark.e2e

WELCOME = "Hej! Jag är KAA-assistenten"
HELP = "Det här kan jag hjälpa dig med"


def test_welcome_on_install(playground: PlaygroundPage) -> None:
    playground.reload()

    playground.wait_for_bot_text(WELCOME)


def test_help_answer(playground: PlaygroundPage) -> None:
    playground.send("hjälp")

    answer = playground.wait_for_bot_text(HELP)

    assert answer.startswith(HELP)
