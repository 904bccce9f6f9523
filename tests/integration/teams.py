"""A local stand-in for the Teams connector, and activities the way Teams sends them."""

from __future__ import annotations

import itertools
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

TENANT = "00000000-0000-0000-0000-0000000000001"
USER_AAD = "00000000-0000-0000-0000-0000000000020"

_ids = itertools.count(1)

BOT_MENTION = {
    "type": "mention",
    "mentioned": {"id": "bot-1", "name": "KAA-assistenten"},
    "text": "<at>KAA-assistenten</at>",
}


class FakeConnector:
    """Records every activity the bot sends to its serviceUrl."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._receive)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._receive)
        self.server = TestServer(app)

    async def _receive(self, request: web.Request) -> web.Response:
        self.sent.append(await request.json())
        return web.json_response({"id": f"sent-{next(_ids)}"})

    @property
    def url(self) -> str:
        return str(self.server.make_url("/"))

    def texts(self) -> list[str]:
        return [activity.get("text") or "" for activity in self.sent]


def activity(
    service_url: str,
    *,
    text: str | None = None,
    value: dict[str, Any] | None = None,
    activity_type: str = "message",
    conversation_id: str = "personal-1",
    conversation_type: str = "personal",
    aad_object_id: str = USER_AAD,
    members_added: list[dict[str, str]] | None = None,
    entities: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": activity_type,
        "id": f"in-{next(_ids)}",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "user-1", "name": "Alex Wilber", "aadObjectId": aad_object_id},
        "recipient": {"id": "bot-1", "name": "KAA-assistenten"},
        "conversation": {
            "id": conversation_id,
            "conversationType": conversation_type,
            "tenantId": TENANT,
        },
        "channelData": {"tenant": {"id": TENANT}},
    }
    if text is not None:
        body["text"] = text
    if value is not None:
        body["value"] = value
    if members_added is not None:
        body["membersAdded"] = members_added
    if entities is not None:
        body["entities"] = entities
    return body


async def say(
    client: TestClient, connector: FakeConnector, text: str | None, **kw: Any
) -> list[str]:
    before = len(connector.sent)
    response = await client.post("/api/messages", json=activity(connector.url, text=text, **kw))
    assert response.status == 200, await response.text()
    return connector.texts()[before:]
