"""@mentions of the bot in team channels and group chats."""

from __future__ import annotations

import re

from bot.activity import Activity

_AT_TAG = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


def text_addressed_to_bot(activity: Activity) -> str | None:
    """The message without the bot's @mention, or None when the bot was not mentioned."""
    recipient = activity.recipient.id if activity.recipient else None
    text = activity.text or ""
    mentioned = False
    for entity in activity.entities:
        if str(entity.get("type") or "").lower() != "mention":
            continue
        who = entity.get("mentioned")
        if recipient is not None and isinstance(who, dict) and who.get("id") == recipient:
            mentioned = True
            tag = entity.get("text")
            text = text.replace(tag, " ") if isinstance(tag, str) and tag else text
    if not mentioned:
        return None
    return " ".join(_AT_TAG.sub(" ", text).split())
