"""Conversation replies as Bot Framework activities."""

from __future__ import annotations

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import ActionTypes, Activity, CardAction, SuggestedActions

from dialogs.engine import Reply


def to_activity(reply: Reply) -> Activity:
    if reply.card is not None:
        activity = MessageFactory.attachment(CardFactory.adaptive_card(reply.card))
        activity.text = reply.text
    else:
        activity = MessageFactory.text(reply.text or "")
        activity.text_format = "markdown"
    if reply.suggestions:
        activity.suggested_actions = SuggestedActions(
            actions=[
                CardAction(type=ActionTypes.im_back, title=choice, value=choice)
                for choice in reply.suggestions
            ]
        )
    return activity
