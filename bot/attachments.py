"""Files attached in the 1:1 chat: a CSV or XLSX intake list is downloaded and imported.

Teams delivers a file sent to a bot as `application/vnd.microsoft.teams.file.download.info`
with a pre-authorised `content.downloadUrl`; the Agents Playground and other channels put the
file at `contentUrl`. Download URLs carry access tokens in their query, so neither they nor
the file's contents are ever logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from bot.activity import Activity
from bot.proactive import ProactiveSender
from bot.replies import Deliver, to_activity
from dialogs.engine import Reply
from storage.audit import Actor
from storage.cases import CaseError, CaseService, NotAllowed
from storage.imports import (
    MAX_FILE_BYTES,
    ImportFileError,
    file_kind,
    import_file,
    require_importer,
)

log = logging.getLogger(__name__)

TEAMS_FILE = "application/vnd.microsoft.teams.file.download.info"
DOWNLOAD_TIMEOUT_SECONDS = 30
MAX_LISTED_REJECTIONS = 30
# About 200 rows of a typical intake list: imported within the turn.
IN_TURN_BYTES = 20 * 1024
# Teams repeats the typed message as an HTML attachment; cards are never files either.
_NOT_FILES = ("text/html", "application/vnd.microsoft.card.")

READING = "Tack! Jag läser in filen – det kan ta en liten stund."
WRONG_KIND = (
    "Jag kan bara läsa in CSV- och XLSX-filer med ungdomar. Spara listan som .xlsx "
    "eller som ”CSV UTF-8” och skicka den igen."
)
IN_BACKGROUND = (
    "Filen är stor, så jag läser in den medan du gör annat. Jag skriver här när jag är klar."
)
IMPORT_FAILED = (
    "Inläsningen av filen avbröts. Skicka den gärna igen – rader som redan är inlästa "
    "registreras inte två gånger."
)
DOWNLOAD_FAILED = "Jag kunde inte hämta filen. Försök skicka den igen om en stund."
TOO_LARGE = (
    f"Filen är för stor. Jag läser filer på högst {MAX_FILE_BYTES // 1024 // 1024} MB "
    "– dela upp den i flera filer."
)


UNTRUSTED_SOURCE = (
    "Jag hämtar bara filer som Teams har delat med mig. Skicka filen direkt här i chatten."
)
# Teams hands out files from the tenant's SharePoint; anything else the bot would fetch on a
# sender's say-so could reach internal services (server-side request forgery).
TRUSTED_FILE_DOMAINS = (".sharepoint.com",)


class DownloadError(Exception):
    """The file could not be fetched; str(exc) is the Swedish answer."""


@dataclass(frozen=True)
class AttachedFile:
    name: str
    url: str


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def attached_files(attachments: list[dict[str, Any]]) -> list[AttachedFile]:
    """The files among an activity's attachments, wherever the channel put their URL."""
    files = []
    for attachment in attachments:
        content_type = _text(attachment.get("contentType")) or ""
        if content_type.startswith(_NOT_FILES):
            continue
        content = attachment.get("content")
        content = content if isinstance(content, dict) else {}
        name = _text(attachment.get("name"))
        if content_type == TEAMS_FILE and _text(content.get("downloadUrl")):
            name = name or f"fil.{_text(content.get('fileType')) or ''}"
            files.append(AttachedFile(name=name, url=content["downloadUrl"]))
        elif url := _text(attachment.get("contentUrl")):
            files.append(AttachedFile(name=name or "fil", url=url))
    return files


def trusted_source(url: str, service_url: str | None) -> bool:
    """Files come from SharePoint or from the channel's own service (the Playground)."""
    host = urlsplit(url).hostname or ""
    service_host = urlsplit(service_url or "").hostname
    return host == service_host or host.endswith(TRUSTED_FILE_DOMAINS)


async def download(url: str, limit: int = MAX_FILE_BYTES) -> bytes:
    if urlsplit(url).scheme not in {"http", "https"}:
        raise DownloadError(DOWNLOAD_FAILED)
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT_SECONDS)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url) as response,
        ):
            if response.status != 200:
                log.warning("File download answered HTTP %s", response.status)
                raise DownloadError(DOWNLOAD_FAILED)
            if (response.content_length or 0) > limit:
                raise DownloadError(TOO_LARGE)
            data = bytearray()
            async for chunk in response.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > limit:
                    raise DownloadError(TOO_LARGE)
            return bytes(data)
    except (TimeoutError, aiohttp.ClientError) as error:
        log.warning("File download failed: %s", type(error).__name__)
        raise DownloadError(DOWNLOAD_FAILED) from None


class FileImporter:
    """Imports the files attached to a 1:1 message.

    A small file is imported within the turn. A larger one would keep Teams waiting past
    its limit for an answer (about 15 s; a row takes some 20 ms), so it is imported after
    the turn and the summary follows as a proactive message.
    """

    def __init__(self, cases: CaseService, sender: ProactiveSender) -> None:
        self._cases = cases
        self._sender = sender
        self._running: set[asyncio.Task[None]] = set()

    async def import_attached(
        self, activity: Activity, actor: Actor, today: date, deliver: Deliver
    ) -> None:
        """Import every file attached to the message, telling the user how it goes."""

        async def say(text: str) -> None:
            await deliver(to_activity(Reply(text=text)))

        try:
            require_importer(actor)
        except NotAllowed as error:
            await say(str(error))
            return
        for attached in attached_files(activity.attachments):
            if file_kind(attached.name) is None:
                await say(WRONG_KIND)
                continue
            if not trusted_source(attached.url, activity.service_url):
                log.warning("File from an untrusted host refused")
                await say(UNTRUSTED_SOURCE)
                continue
            await say(READING)
            try:
                content = await download(attached.url)
            except DownloadError as error:
                await say(str(error))
                continue
            work = self._import(content, attached.name, actor, today)
            if len(content) <= IN_TURN_BYTES:
                await say(await work)
                continue
            await say(IN_BACKGROUND)
            task = asyncio.create_task(self._finish_later(activity.reference(), work))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _import(self, content: bytes, name: str, actor: Actor, today: date) -> str:
        try:
            result = await import_file(self._cases, actor, content, name, today)
        except (ImportFileError, CaseError) as error:
            return str(error)
        log.info(
            "File import: %d new, %d known, %d rejected",
            len(result.created),
            len(result.known),
            len(result.rejected),
        )
        return result.summary(max_listed=MAX_LISTED_REJECTIONS)

    async def _finish_later(self, reference: dict[str, Any], work: Awaitable[str]) -> None:
        try:
            summary = await work
        except Exception as error:
            log.error("Background file import failed: %s", type(error).__name__)
            summary = IMPORT_FAILED
        await self._sender.send(reference, to_activity(Reply(text=summary)))

    async def close(self) -> None:
        """Let imports still running finish before the bot stops."""
        await asyncio.gather(*self._running, return_exceptions=True)

