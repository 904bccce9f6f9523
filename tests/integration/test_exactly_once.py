"""Every turn exactly once: double clicks, redeliveries, failed replies, two instances."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from sqlalchemy import func, select

from bot.staff import actor_for
from storage.cases import CaseService, RegistrationInput
from storage.demo import fictitious_personnummer
from storage.models import ContactEvent, Staff
from tests.integration.scripted_connector import ScriptedConnector
from tests.integration.teams import USER_AAD, activity, say


async def _contacts(sessionmaker) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(ContactEvent)) or 0)


async def _contact_card(client, connector, sessionmaker) -> dict[str, Any]:
    """A registered youth and the contact card's values, filled in, ready to submit."""
    await say(client, connector, "hej")  # the demo makes the writer a coordinator
    today = date.today()
    async with sessionmaker() as session:
        staff = await session.scalar(select(Staff).where(Staff.aad_object_id == USER_AAD))
    registration = await CaseService(sessionmaker).register_youth(
        actor_for(staff),
        RegistrationInput(
            personnummer=fictitious_personnummer(date(today.year - 18, today.month, 1), 7, "man"),
            first_name="Dubbel",
            last_name="Klicksson",
            registered_on=today,
            registration_reason="inflyttad",
            source="inflyttad",
        ),
        today=today,
    )
    await say(client, connector, None, value={"flow": "kontakt", "case_id": registration.case_id})
    card = next(a for a in reversed(connector.sent) if a.get("attachments"))
    return {
        **card["attachments"][0]["content"]["actions"][0]["data"],
        "occurred_on": today.isoformat(),
        "channel": "telefon",
        "counterpart": "ungdomen",
        "outcome": "nadd",
    }


async def test_a_card_submitted_twice_at_once_writes_once_and_answers_twice(
    demo_bot, connector, sessionmaker
):
    values = await _contact_card(demo_bot, connector, sessionmaker)
    before = len(connector.sent)

    responses = await asyncio.gather(
        *(demo_bot.post("/api/messages", json=activity(connector.url, value=values)) for _ in "ab")
    )

    assert [response.status for response in responses] == [200, 200]
    assert await _contacts(sessionmaker) == 1
    texts = connector.texts()[before:]
    assert len(texts) == 2
    assert any("Klart!" in text for text in texts)
    assert any("redan sparat" in text for text in texts)
    assert not any("gick fel" in text for text in texts)


async def test_the_same_activity_delivered_twice_at_once_writes_once(
    demo_bot, connector, sessionmaker
):
    values = await _contact_card(demo_bot, connector, sessionmaker)
    body = activity(connector.url, value={**values, "submission": None})

    responses = await asyncio.gather(
        *(demo_bot.post("/api/messages", json=body) for _ in range(3))
    )

    assert [response.status for response in responses] == [200, 200, 200]
    assert await _contacts(sessionmaker) == 1


async def test_two_instances_given_the_same_card_write_once(
    start_bot, demo_bot, connector, sessionmaker
):
    values = await _contact_card(demo_bot, connector, sessionmaker)
    second = await start_bot()

    responses = await asyncio.gather(
        demo_bot.post("/api/messages", json=activity(connector.url, value=values)),
        second.post("/api/messages", json=activity(connector.url, value=values)),
    )

    assert [response.status for response in responses] == [200, 200]
    assert await _contacts(sessionmaker) == 1


async def _failing_reply(demo_bot, connector, sessionmaker, script) -> ScriptedConnector:
    """Submit the contact card to a connector that answers the reply with ``script``."""
    values = await _contact_card(demo_bot, connector, sessionmaker)
    failing = ScriptedConnector(script)
    await failing.server.start_server()
    body = activity(failing.url, value=values)

    response = await demo_bot.post("/api/messages", json=body)

    assert response.status == 200
    assert await _contacts(sessionmaker) == 1
    # Teams delivers it again: nothing more is written.
    again = await demo_bot.post("/api/messages", json=body)
    assert again.status == 200
    assert await _contacts(sessionmaker) == 1
    return failing


async def test_a_reply_throttled_twice_is_sent_later_and_the_contact_kept_once(
    demo_bot, connector, sessionmaker
):
    throttled = (429, {"Retry-After": "0"})
    failing = await _failing_reply(demo_bot, connector, sessionmaker, [throttled, throttled])
    try:
        for _ in range(100):
            if any("Klart!" in (sent.get("text") or "") for sent in failing.delivered):
                break
            await asyncio.sleep(0.1)
        assert any("Klart!" in (sent.get("text") or "") for sent in failing.delivered)
    finally:
        await failing.server.close()


async def test_a_reply_the_connector_refuses_with_500_still_keeps_the_contact_once(
    demo_bot, connector, sessionmaker
):
    failing = await _failing_reply(demo_bot, connector, sessionmaker, [(500, {})])
    await failing.server.close()
    # The redelivery was answered: the contact is already saved.
    assert "redan sparat" in (failing.delivered[-1].get("text") or "")


async def test_a_dialog_answered_ja_twice_by_redelivery_saves_once(
    demo_bot, connector, sessionmaker
):
    values = await _contact_card(demo_bot, connector, sessionmaker)
    case_id = values["case_id"]
    await say(demo_bot, connector, "avbryt")
    await say(demo_bot, connector, f"logga kontakt {case_id}")
    for answer in ("idag", "telefon", "ungdomen", "nådd", "-", "-"):
        await say(demo_bot, connector, answer)
    body = activity(connector.url, text="ja")

    for _ in range(2):
        assert (await demo_bot.post("/api/messages", json=body)).status == 200

    assert await _contacts(sessionmaker) == 1
    assert "redan sparat" in connector.texts()[-1]
