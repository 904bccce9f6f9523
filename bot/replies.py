"""Conversation replies as Bot Framework activities."""

from __future__ import annotations

import base64

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import ActionTypes, Activity, Attachment, CardAction, SuggestedActions

from dialogs.engine import Reply


def to_activity(reply: Reply) -> Activity:
    if reply.card is not None:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(reply.card))
        activity.text = reply.text
    else:
        activity = MessageFactory.text(reply.text or "")
        activity.text_format = "markdown"
    if reply.file is not None:
        # An inline data URI shows in the Agents Playground and Web Chat; in Teams a bot's
        # file in a 1:1 chat needs the FileConsentCard upload flow instead.
        encoded = base64.b64encode(reply.file.data).decode("ascii")
        activity.attachments = [
            *(activity.attachments or []),
            Attachment(
                content_type=reply.file.content_type,
                content_url=f"data:{reply.file.content_type};base64,{encoded}",
                name=reply.file.name,
            ),
        ]
    if reply.suggestions:
        activity.suggested_actions = SuggestedActions(
            actions=[
                CardAction(type=ActionTypes.im_back, title=choice, value=choice)
                for choice in reply.suggestions
            ]
        )
    return activity
