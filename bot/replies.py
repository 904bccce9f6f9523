"""Conversation replies as Bot Framework activities (JSON, as the connector takes them)."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

from dialogs.engine import Reply

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"

# Sends one activity to the user at once (work after a turn's commit: an import's progress).
Deliver = Callable[[dict[str, Any]], Awaitable[None]]


def to_activity(reply: Reply) -> dict[str, Any]:
    activity: dict[str, Any] = {"type": "message", "inputHint": "acceptingInput"}
    attachments: list[dict[str, Any]] = []
    if reply.card is not None:
        attachments.append({"contentType": ADAPTIVE_CARD, "content": reply.card})
        if reply.text is not None:
            activity["text"] = reply.text
    else:
        activity["text"] = reply.text or ""
        activity["textFormat"] = "markdown"
    if reply.file is not None:
        # An inline data URI shows in the Agents Playground and Web Chat; in Teams a bot's
        # file in a 1:1 chat needs the FileConsentCard upload flow instead.
        encoded = base64.b64encode(reply.file.data).decode("ascii")
        attachments.append(
            {
                "contentType": reply.file.content_type,
                "contentUrl": f"data:{reply.file.content_type};base64,{encoded}",
                "name": reply.file.name,
            }
        )
    if attachments:
        activity["attachments"] = attachments
    if reply.suggestions:
        activity["suggestedActions"] = {
            "actions": [
                {"type": "imBack", "title": choice, "value": choice} for choice in reply.suggestions
            ]
        }
    return activity
