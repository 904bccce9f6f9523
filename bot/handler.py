"""What the bot answers to an activity, inside the turn's unit of work.

Thin on purpose: a 1:1 message goes to the conversation engine (`dialogs.conversation`)
with the dialog state read and written in the turn's transaction; a channel or group chat
is answered only when the bot is @mentioned, and never with personal data; a member added
is welcomed. Sending is the turn runner's (`bot.turns`), after the commit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from bot.activity import Activity
from bot.attachments import FileImporter, attached_files
from bot.files import CONSENT_INVOKE, FileDelivery
from bot.mentions import text_addressed_to_bot
from bot.replies import Deliver
from bot.staff import StaffDirectory
from dialogs import texts
from dialogs.channel import channel_reply
from dialogs.context import FlowContext
from dialogs.conversation import handle
from dialogs.engine import Reply, Turn
from dialogs.inbound import clean_card_value, clean_text
from storage import bot_state
from storage.cases import CaseService
from storage.sessions import TurnUnit

# Work that must not hold the turn's transaction (a file's download and import, an upload):
# run after the commit and the replies, with a way to send the user more.
After = Callable[[Deliver], Awaitable[None]]


@dataclass
class TurnResult:
    replies: list[Reply] = field(default_factory=list)
    after: After | None = None


class KaaBot:
    def __init__(
        self,
        *,
        files: FileImporter,
        delivery: FileDelivery,
        today: Callable[[], date],
        demo_municipality: str | None = None,
    ) -> None:
        self._files = files
        self._delivery = delivery
        self._today = today
        self._demo_municipality = demo_municipality

    async def handle(self, activity: Activity, unit: TurnUnit, cases: CaseService) -> TurnResult:
        if activity.type == "message":
            if activity.conversation_type != "personal":
                text = text_addressed_to_bot(activity)
                return TurnResult([channel_reply(text)] if text is not None else [])
            return await self._personal_message(activity, unit, cases)
        if activity.type == "conversationUpdate" and activity.members_added:
            return TurnResult([Reply(text=texts.WELCOME)])
        if activity.type == "invoke" and activity.name == CONSENT_INVOKE:
            return TurnResult(*await self._delivery.answer(unit.session, activity))
        return TurnResult()

    async def _personal_message(
        self, activity: Activity, unit: TurnUnit, cases: CaseService
    ) -> TurnResult:
        sender = activity.from_
        staff = StaffDirectory(cases, self._demo_municipality)
        actor = await staff.resolve(aad_object_id=sender.aad_object_id, name=sender.name)
        if actor is None:
            aad_id = sender.aad_object_id or "okänt"
            return TurnResult([Reply(text=texts.NOT_STAFF.format(aad_id=aad_id))])
        today = self._today()
        if attached_files(activity.attachments):
            return TurnResult(after=partial(self._files.import_attached, activity, actor, today))
        turn = Turn(
            text=clean_text(activity.text), value=clean_card_value(activity.value), today=today
        )
        key = bot_state.conversation_key(activity.channel_id, activity.conversation.id)
        stored = await bot_state.read_locked(unit.session, key)
        replies, flow = await handle(turn, FlowContext(cases, actor), stored.get("flow"))
        if flow != stored.get("flow"):
            await bot_state.write(unit.session, key, {**stored, "flow": flow})
        return TurnResult(replies)
