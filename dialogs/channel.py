"""What the bot says in a team channel or group chat: never personal data."""

from __future__ import annotations

from dialogs import texts
from dialogs.engine import Reply

_HELP = {"hjälp", "hjalp", "help", "?"}


def channel_reply(text: str) -> Reply:
    if text.lower().rstrip(" !.") in _HELP or not text:
        return Reply(text=texts.CHANNEL_HELP)
    return Reply(text=texts.CHANNEL_ONLY_HELP)
