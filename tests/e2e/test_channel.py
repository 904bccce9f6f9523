"""In the team channel and the group chat the bot answers an @mention without personal data."""

from __future__ import annotations

import re

import pytest

from tests.e2e.playground import GENERAL_CHANNEL, GROUP_CHAT, PlaygroundPage

pytestmark = pytest.mark.e2e

CHANNEL_HELP = "KAA-assistenten i kanalen"
USE_PERSONAL_CHAT = "1:1-chatt"
PERSONNUMMER = re.compile(r"\d{6}[-+]?\d{4}")


@pytest.mark.parametrize("conversation", [GENERAL_CHANNEL, GROUP_CHAT])
def test_mention_is_answered_without_personal_data(
    playground: PlaygroundPage, conversation: str
) -> None:
    playground.open_conversation(conversation)

    playground.send("hjälp", mention=True)
    help_text = playground.wait_for_bot_text(CHANNEL_HELP)

    playground.send("registrera 20080315-1234 Elin Andersson", mention=True)
    refusal = playground.wait_for_bot_text(USE_PERSONAL_CHAT)

    for answer in (help_text, refusal):
        assert not PERSONNUMMER.search(answer)
        assert "Elin" not in answer and "Andersson" not in answer
