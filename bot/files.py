"""Files the bot hands over: inline, or through Teams' file consent flow.

In a 1:1 chat Teams does not show a bot's file attachment. The bot offers it with a file
consent card instead and keeps the file (storage.pending_files); when the user presses
*Tillåt*, Teams sends a `fileConsent/invoke` with an upload address in the user's OneDrive,
the bot uploads the file there and posts a file info card that opens it. *Avböj* is
acknowledged and the file forgotten. The Agents Playground and other local clients show an
inline data URI instead (bot.replies).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession

from bot.activity import Activity
from bot.attachments import trusted_source
from bot.replies import Deliver, to_activity
from dialogs.engine import Reply
from storage import pending_files

log = logging.getLogger(__name__)

FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
CONSENT_INVOKE = "fileConsent/invoke"
UPLOAD_TIMEOUT_SECONDS = 60

DECLINED = "Okej, jag skickar inte filen. Be mig om den igen om du ändrar dig."
GONE = "Den filen finns inte kvar hos mig längre – be mig om den igen, så skickar jag en ny."
UPLOAD_FAILED = "Jag kunde inte spara filen i din OneDrive. Be mig om den igen om en stund."

def _size(size: int) -> str:
    return f"{size / 1024:.0f} kB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class FileDelivery:
    def __init__(self, by_consent: bool) -> None:
        self._by_consent = by_consent
        self._http: aiohttp.ClientSession | None = None

    def activities(
        self, session: AsyncSession, activity: Activity, replies: list[Reply]
    ) -> list[dict[str, Any]]:
        """The replies as activities; in Teams' 1:1 chat a file becomes a consent card and
        is kept, in the turn's transaction, until the user answers."""
        outgoing = []
        for reply in replies:
            if reply.file is None or not self._consent_here(activity):
                outgoing.append(to_activity(reply))
                continue
            file = reply.file
            token = pending_files.offer(
                session, activity.conversation.id, file.name, file.content_type, file.data
            )
            message = to_activity(Reply(text=reply.text, card=reply.card))
            consent = {"file": token}
            message["attachments"] = [
                *message.get("attachments", []),
                {
                    "contentType": FILE_CONSENT,
                    "name": file.name,
                    "content": {
                        "description": f"{file.name} ({_size(len(file.data))}). Tryck "
                        "Tillåt så sparas filen i din OneDrive och visas här.",
                        "sizeInBytes": len(file.data),
                        "acceptContext": consent,
                        "declineContext": consent,
                    },
                },
            ]
            outgoing.append(message)
        return outgoing

    def _consent_here(self, activity: Activity) -> bool:
        return self._by_consent and activity.conversation_type == "personal"

    async def answer(
        self, session: AsyncSession, activity: Activity
    ) -> tuple[list[Reply], Callable[[Deliver], Awaitable[None]] | None]:
        """The user's answer to a consent card: what to say now, and the upload to make after
        the turn's commit."""
        value = activity.value if isinstance(activity.value, dict) else {}
        context = value.get("context") if isinstance(value.get("context"), dict) else {}
        token = context.get("file")
        pending = (
            await pending_files.take(session, token, activity.conversation.id)
            if isinstance(token, str)
            else None
        )
        if value.get("action") == "decline":
            return [Reply(text=DECLINED)], None
        info = value.get("uploadInfo")
        if pending is None or value.get("action") != "accept" or not isinstance(info, dict):
            return [Reply(text=GONE)], None
        upload = partial(self._upload, pending.data, info, activity.service_url)
        return [], upload

    async def _upload(
        self, data: bytes, info: dict[str, Any], service_url: str, deliver: Deliver
    ) -> None:
        url = info.get("uploadUrl")
        if not isinstance(url, str) or not trusted_source(url, service_url):
            log.warning("File upload refused: the upload address is not Teams' own")
            await deliver(to_activity(Reply(text=UPLOAD_FAILED)))
            return
        size = len(data)
        headers = {"Content-Length": str(size), "Content-Range": f"bytes 0-{size - 1}/{size}"}
        try:
            async with self._client().put(url, data=data, headers=headers) as response:
                if response.status >= 300:
                    raise aiohttp.ClientResponseError(
                        response.request_info, (), status=response.status
                    )
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("File upload failed: %s", type(error).__name__)
            await deliver(to_activity(Reply(text=UPLOAD_FAILED)))
            return
        await deliver(
            {
                "type": "message",
                "attachments": [
                    {
                        "contentType": FILE_INFO,
                        "contentUrl": info.get("contentUrl"),
                        "name": info.get("name"),
                        "content": {
                            "uniqueId": info.get("uniqueId"),
                            "fileType": info.get("fileType"),
                        },
                    }
                ],
            }
        )

    def _client(self) -> aiohttp.ClientSession:
        if self._http is None:
            timeout = aiohttp.ClientTimeout(total=UPLOAD_TIMEOUT_SECONDS)
            self._http = aiohttp.ClientSession(timeout=timeout)
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
