"""@mentions of the bot in team channels and group chats."""

from __future__ import annotations

import re

from botbuilder.schema import Activity

_AT_TAG = re.compile(r"<at[^>]*>.*?</at>", re.IGNORECASE | re.DOTALL)


def text_addressed_to_bot(activity: Activity) -> str | None:
    """The message without the bot's @mention, or None when the bot was not mentioned."""
    recipient = activity.recipient.id if activity.recipient else None
    text = activity.text or ""
    mentioned = False
    for entity in activity.entities or []:
        if (entity.type or "").lower() != "mention":
            continue
        properties = entity.additional_properties or {}
        who = properties.get("mentioned") or {}
        if recipient is not None and who.get("id") == recipient:
            mentioned = True
            text = text.replace(properties.get("text") or "", " ")
    if not mentioned:
        return None
    return " ".join(_AT_TAG.sub(" ", text).split())
