"""Files in Teams' 1:1 chat: a consent card, the upload on Tillåt, a file info card after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from bot.files import FILE_CONSENT, FILE_INFO
from bot.staff import actor_for
from storage.cases import CaseService, RegistrationInput
from storage.demo import DEMO_CODE, DEMO_CONTACT, DEMO_NAME, fictitious_personnummer
from storage.letters.settings import LetterSettings
from storage.models import PendingFile, Staff
from tests.integration.conftest import SYSTEM
from tests.integration.teams import USER_AAD, activity, say


class UploadServer:
    """Stands in for the user's OneDrive: takes the PUT Teams' upload address is for."""

    def __init__(self) -> None:
        self.uploads: list[tuple[bytes, dict[str, str]]] = []
        app = web.Application()
        app.router.add_put("/upload/{name}", self._put)
        self.server = TestServer(app)

    async def _put(self, request: web.Request) -> web.Response:
        self.uploads.append((await request.read(), dict(request.headers)))
        return web.json_response({"id": "drive-item"}, status=201)

    def url(self, name: str) -> str:
        return str(self.server.make_url(f"/upload/{name}"))


@pytest.fixture
async def upload() -> AsyncIterator[UploadServer]:
    server = UploadServer()
    await server.server.start_server()
    yield server
    await server.server.close()


async def _with_a_new_youth(client, connector, sessionmaker) -> None:
    """The writer becomes a demo coordinator with one new youth who has an address, in a
    municipality whose letters have a contact person."""
    cases = CaseService(sessionmaker)
    await LetterSettings(sessionmaker).set_contact(SYSTEM, DEMO_CODE, DEMO_CONTACT)
    await say(client, connector, "hej")
    async with sessionmaker() as session:
        staff = await session.scalar(select(Staff).where(Staff.aad_object_id == USER_AAD))
    today = date.today()
    await cases.register_youth(
        actor_for(staff),
        RegistrationInput(
            personnummer=fictitious_personnummer(date(today.year - 18, today.month, 1), 3, "man"),
            first_name="Filip",
            last_name="Filsson",
            registered_on=today,
            registration_reason="inflyttad",
            source="inflyttad",
            address="Storgatan 1",
            postal_code="58222",
            city="Linköping",
        ),
        today=today,
    )


@pytest.fixture
async def teams_bot(start_bot, sessionmaker, connector):
    """The demo bot delivering files the Teams way."""
    await CaseService(sessionmaker).add_municipality(SYSTEM, DEMO_CODE, DEMO_NAME)
    client = await start_bot(file_delivery="consent")
    await _with_a_new_youth(client, connector, sessionmaker)
    return client


async def _offer(client, connector) -> dict[str, Any]:
    """Ask for the contact letters; the consent card's attachment."""
    for answer in ("skriv brev", "kontaktbrev", "alla nya", "ja"):
        await say(client, connector, answer)
    attachments = [a for sent in connector.sent for a in sent.get("attachments") or []]
    assert not any(str(a.get("contentUrl", "")).startswith("data:") for a in attachments)
    return next(a for a in reversed(attachments) if a["contentType"] == FILE_CONSENT)


def _answer(connector, card: dict[str, Any], action: str, **upload_info: str) -> dict[str, Any]:
    body = activity(
        connector.url,
        activity_type="invoke",
        value={
            "type": "fileUpload",
            "action": action,
            "context": card["content"]["acceptContext" if action == "accept" else "declineContext"],
            "uploadInfo": {
                "name": card["name"],
                "contentUrl": "https://contoso-my.sharepoint.com/personal/brev.pdf",
                "uniqueId": "item-1",
                "fileType": "pdf",
                **upload_info,
            },
        },
    )
    return {**body, "name": "fileConsent/invoke"}


async def _pending(sessionmaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(PendingFile)) or 0)


async def test_an_accepted_file_is_uploaded_once_and_shown(
    teams_bot, connector, upload, sessionmaker
):
    card = await _offer(teams_bot, connector)
    assert card["content"]["sizeInBytes"] > 0 and card["name"].endswith(".pdf")
    assert await _pending(sessionmaker) == 1
    accept = _answer(connector, card, "accept", uploadUrl=upload.url(card["name"]))

    for _ in range(2):  # Teams delivering the invoke again uploads nothing more
        assert (await teams_bot.post("/api/messages", json=accept)).status == 200

    [(data, headers)] = upload.uploads
    assert data.startswith(b"%PDF") and len(data) == card["content"]["sizeInBytes"]
    assert headers["Content-Range"] == f"bytes 0-{len(data) - 1}/{len(data)}"
    info = [a for sent in connector.sent for a in sent.get("attachments") or []][-1]
    assert info["contentType"] == FILE_INFO
    assert info["contentUrl"] == "https://contoso-my.sharepoint.com/personal/brev.pdf"
    assert info["content"] == {"uniqueId": "item-1", "fileType": "pdf"}
    assert await _pending(sessionmaker) == 0


async def test_a_declined_file_is_forgotten_and_never_uploaded(
    teams_bot, connector, upload, sessionmaker
):
    card = await _offer(teams_bot, connector)

    response = await teams_bot.post("/api/messages", json=_answer(connector, card, "decline"))

    assert response.status == 200
    assert "skickar inte filen" in connector.texts()[-1]
    assert upload.uploads == [] and await _pending(sessionmaker) == 0
    # Accepting the same card afterwards finds nothing to upload.
    late = _answer(connector, card, "accept", uploadUrl=upload.url(card["name"]))
    assert (await teams_bot.post("/api/messages", json=late)).status == 200
    assert "finns inte kvar" in connector.texts()[-1] and upload.uploads == []


async def test_an_upload_address_outside_teams_is_refused(teams_bot, connector, upload):
    card = await _offer(teams_bot, connector)
    foreign = _answer(connector, card, "accept", uploadUrl="http://example.org/upload/brev.pdf")

    assert (await teams_bot.post("/api/messages", json=foreign)).status == 200

    assert "kunde inte spara filen" in connector.texts()[-1] and upload.uploads == []


async def test_the_playground_gets_the_file_inline(demo_bot, connector, sessionmaker):
    await _with_a_new_youth(demo_bot, connector, sessionmaker)
    for answer in ("skriv brev", "kontaktbrev", "alla nya", "ja"):
        await say(demo_bot, connector, answer)

    types = [a["contentType"] for sent in connector.sent for a in sent.get("attachments") or []]
    assert "application/pdf" in types and FILE_CONSENT not in types
    assert await _pending(sessionmaker) == 0
