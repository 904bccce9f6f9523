"""The Teams activity handler: translates activities to conversation turns and back."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from botbuilder.core import ConversationState, TurnContext, UserState
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import ChannelAccount

from bot.attachments import FileImporter
from bot.mentions import text_addressed_to_bot
from bot.replies import to_activity
from bot.staff import StaffDirectory
from bot.tenants import TenantGate, tenant_id
from dialogs import texts
from dialogs.channel import channel_reply
from dialogs.context import FlowContext
from dialogs.conversation import handle
from dialogs.engine import Reply, Turn
from dialogs.inbound import clean_card_value, clean_text
from storage.cases import CaseService
from storage.conversations import ConversationStore

log = logging.getLogger(__name__)


def _team_id(turn_context: TurnContext) -> str | None:
    channel_data = turn_context.activity.channel_data or {}
    team = channel_data.get("team") if isinstance(channel_data, dict) else None
    return team.get("id") if isinstance(team, dict) else None


def conversation_type(turn_context: TurnContext) -> str:
    return turn_context.activity.conversation.conversation_type or "personal"


class KaaBot(TeamsActivityHandler):
    def __init__(
        self,
        *,
        conversation_state: ConversationState,
        user_state: UserState,
        cases: CaseService,
        staff: StaffDirectory,
        conversations: ConversationStore,
        timezone: str,
        files: FileImporter,
        tenants: TenantGate | None = None,
    ) -> None:
        self._conversation_state = conversation_state
        self._user_state = user_state
        self._flow_state = conversation_state.create_property("flow")
        self._cases = cases
        self._staff = staff
        self._conversations = conversations
        self._zone = ZoneInfo(timezone)
        self._files = files
        self._tenants = tenants or TenantGate()

    async def on_turn(self, turn_context: TurnContext) -> None:
        if not self._tenants.admits(turn_context.activity):
            return
        await self._remember_conversation(turn_context)
        await super().on_turn(turn_context)
        await self._conversation_state.save_changes(turn_context)
        await self._user_state.save_changes(turn_context)

    async def _remember_conversation(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.conversation is None or not activity.service_url:
            return
        reference = TurnContext.get_conversation_reference(activity)
        kind = conversation_type(turn_context)
        await self._conversations.remember(
            conversation_id=activity.conversation.id,
            conversation_type=kind,
            reference=reference.serialize(),
            aad_object_id=activity.from_property.aad_object_id
            if activity.from_property and kind == "personal"
            else None,
            tenant_id=tenant_id(turn_context.activity),
            team_id=_team_id(turn_context),
            sender_aad_object_id=activity.from_property.aad_object_id
            if activity.from_property
            else None,
        )

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        if members_added:
            await turn_context.send_activity(to_activity(Reply(text=texts.WELCOME)))

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if conversation_type(turn_context) != "personal":
            text = text_addressed_to_bot(activity)
            if text is not None:
                await turn_context.send_activity(to_activity(channel_reply(text)))
            return
        sender = activity.from_property
        actor = await self._staff.resolve(
            aad_object_id=sender.aad_object_id if sender else None,
            name=sender.name if sender else None,
        )
        if actor is None:
            aad_id = (sender.aad_object_id if sender else None) or "okänt"
            await turn_context.send_activity(
                to_activity(Reply(text=texts.NOT_STAFF.format(aad_id=aad_id)))
            )
            return
        today = datetime.now(self._zone).date()
        if await self._files.import_attached(turn_context, actor, today):
            return
        turn = Turn(
            text=clean_text(activity.text), value=clean_card_value(activity.value), today=today
        )
        state = await self._flow_state.get(turn_context, None)
        replies, new_state = await handle(turn, FlowContext(self._cases, actor), state)
        await self._flow_state.set(turn_context, new_state)
        for reply in replies:
            await turn_context.send_activity(to_activity(reply))
