"""KAA_ALLOWED_TENANTS: activities from any other tenant get no answer and leave no trace."""

from __future__ import annotations

import logging

from sqlalchemy import select

from storage.audit import Actor
from storage.cases import CaseService
from storage.demo import DEMO_CODE, DEMO_NAME
from storage.models import ConversationRef, Staff
from tests.environment import explicit_settings
from tests.integration.teams import TENANT, activity, say

SYSTEM = Actor(label="test", municipality_id=None, role="system")
OTHER_TENANT = "99999999-9999-9999-9999-999999999999"
SECRET_TEXT = "registrera 200801011234 Hemliga Hemligsson"


def _from_tenant(service_url: str, tenant: str | None, **kw) -> dict:
    body = activity(service_url, **kw)
    if tenant is None:
        del body["channelData"]
        del body["conversation"]["tenantId"]
    else:
        body["channelData"]["tenant"]["id"] = tenant
        body["conversation"]["tenantId"] = tenant
    return body


async def _gated_bot(start_bot, sessionmaker, allowed: str):
    await CaseService(sessionmaker).add_municipality(SYSTEM, DEMO_CODE, DEMO_NAME)
    return await start_bot(allowed_tenants=allowed)


def test_allowed_tenants_are_read_as_a_list():
    settings = explicit_settings(allowed_tenants=" AAA ,bbb,, ")
    assert settings.allowed_tenant_ids == frozenset({"aaa", "bbb"})
    assert explicit_settings(allowed_tenants="").allowed_tenant_ids == frozenset()


async def test_the_allowed_tenant_is_answered(start_bot, sessionmaker, connector):
    client = await _gated_bot(start_bot, sessionmaker, f"{OTHER_TENANT},{TENANT.upper()}")
    replies = await say(client, connector, "hjälp")
    assert any("Det här kan jag hjälpa dig med" in reply for reply in replies)


async def test_another_tenant_gets_no_answer_and_only_a_log_line(
    start_bot, sessionmaker, connector, caplog
):
    client = await _gated_bot(start_bot, sessionmaker, TENANT)
    body = _from_tenant(connector.url, OTHER_TENANT, text=SECRET_TEXT)
    with caplog.at_level(logging.DEBUG):
        response = await client.post("/api/messages", json=body)
    assert response.status == 200
    assert connector.sent == []
    async with sessionmaker() as session:
        assert list(await session.scalars(select(ConversationRef))) == []
        assert list(await session.scalars(select(Staff))) == []
    dropped = [r for r in caplog.records if r.name == "bot.tenants"]
    assert len(dropped) == 1
    message = dropped[0].getMessage()
    assert OTHER_TENANT in message and "message" in message
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("200801011234", "Hemliga", "Hemligsson", "Alex Wilber", body["from"]["id"]):
        assert secret not in logged


async def test_an_activity_without_tenant_is_dropped(start_bot, sessionmaker, connector):
    client = await _gated_bot(start_bot, sessionmaker, TENANT)
    response = await client.post(
        "/api/messages", json=_from_tenant(connector.url, None, text="hjälp")
    )
    assert response.status == 200
    assert connector.sent == []


async def test_another_tenant_cannot_install_the_bot(start_bot, sessionmaker, connector):
    client = await _gated_bot(start_bot, sessionmaker, TENANT)
    body = _from_tenant(
        connector.url,
        OTHER_TENANT,
        activity_type="conversationUpdate",
        members_added=[{"id": "bot-1"}],
    )
    response = await client.post("/api/messages", json=body)
    assert response.status == 200
    assert connector.sent == []


async def test_no_list_allows_every_tenant(start_bot, sessionmaker, connector):
    client = await _gated_bot(start_bot, sessionmaker, "")
    response = await client.post(
        "/api/messages", json=_from_tenant(connector.url, OTHER_TENANT, text="hjälp")
    )
    assert response.status == 200
    assert any("Det här kan jag hjälpa dig med" in text for text in connector.texts())
