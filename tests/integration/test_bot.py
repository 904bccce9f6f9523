"""The bot over HTTP, as Teams talks to it, on both databases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storage.audit import Actor
from storage.cases import CaseService
from storage.demo import fictitious_personnummer
from storage.models import ConversationRef, KaaCase, Staff
from tests.clock import born
from tests.integration.teams import BOT_MENTION, USER_AAD, FakeConnector, activity, say

SYSTEM = Actor(label="test", municipality_id=None, role="system")


async def test_healthz_ok(demo_bot):
    response = await demo_bot.get("/healthz")
    assert response.status == 200


async def test_healthz_503_when_database_does_not_answer(start_bot, database_url, tmp_path):
    if database_url.startswith("sqlite"):
        broken = f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'dir' / 'kaa.db'}"
    else:
        broken = database_url.rsplit("/", 1)[0].replace("127.0.0.1:", "127.0.0.1:1") + "/x"
    client = await start_bot(url=broken)
    response = await client.get("/healthz")
    assert response.status == 503


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json", "application/json", 400),
        (b'{"type": ', "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"text": "hej"}', "application/json", 400),
        (b'{"type": "message"}', "application/json", 400),
        (b"\xff\xfe", "application/json", 400),
        (b"hej", "text/plain", 415),
    ],
)
async def test_malformed_requests_get_4xx_not_500(demo_bot, body, content_type, status):
    response = await demo_bot.post(
        "/api/messages", data=body, headers={"Content-Type": content_type}
    )
    assert response.status == status
    assert "error" in await response.json()


async def test_oversized_body_is_refused(demo_bot, connector):
    huge = activity(connector.url, text="x" * 400_000)
    response = await demo_bot.post("/api/messages", json=huge)
    assert response.status == 413


async def test_unknown_activity_type_is_ignored(demo_bot, connector):
    response = await demo_bot.post(
        "/api/messages", json=activity(connector.url, activity_type="somethingNew")
    )
    assert response.status == 200
    assert connector.sent == []


async def test_help_answers_in_swedish(demo_bot, connector):
    replies = await say(demo_bot, connector, "hjälp")
    assert any("Det här kan jag hjälpa dig med" in reply for reply in replies)


async def test_welcome_on_install(demo_bot, connector):
    body = activity(
        connector.url,
        activity_type="conversationUpdate",
        members_added=[{"id": "bot-1"}],
    )
    response = await demo_bot.post("/api/messages", json=body)
    assert response.status == 200
    assert any("Jag är KAA-assistenten" in text for text in connector.texts())


async def test_unknown_user_is_told_their_id(start_bot, connector, sessionmaker):
    await CaseService(sessionmaker).add_municipality(SYSTEM, "0580", "Linköping")
    client = await start_bot(demo=False)
    replies = await say(client, connector, "hjälp")
    assert len(replies) == 1
    assert "inte registrerad som personal" in replies[0]
    assert USER_AAD in replies[0]


async def test_demo_makes_writer_a_coordinator_and_keeps_reference(
    demo_bot, connector, sessionmaker
):
    await say(demo_bot, connector, "hjälp")
    async with sessionmaker() as session:
        staff = await session.scalar(select(Staff).where(Staff.aad_object_id == USER_AAD))
        reference = await session.scalar(select(ConversationRef))
    assert staff is not None and staff.role == "coordinator"
    assert reference.conversation_type == "personal"
    assert reference.aad_object_id == USER_AAD
    assert reference.reference["serviceUrl"] == connector.url


CHANNEL = {"conversation_id": "19:channel@thread.tacv2", "conversation_type": "channel"}


@pytest.mark.parametrize(
    "where",
    [CHANNEL, {"conversation_id": "19:group@thread.v2", "conversation_type": "groupChat"}],
    ids=["channel", "groupChat"],
)
async def test_channel_and_group_answer_only_when_mentioned(demo_bot, connector, where):
    assert await say(demo_bot, connector, "hjälp", **where) == []
    mention = [BOT_MENTION]
    replies = await say(
        demo_bot, connector, "<at>KAA-assistenten</at> hjälp", entities=mention, **where
    )
    assert len(replies) == 1 and "i kanalen" in replies[0]
    assert connector.sent[-1]["conversation"]["id"] == where["conversation_id"]


async def test_channel_never_starts_a_personal_flow(demo_bot, connector, sessionmaker):
    pnr = fictitious_personnummer(date(date.today().year - 18, 4, 4), 12, "kvinna")
    for text in ("registrera", pnr, "Elin Andersson"):
        replies = await say(
            demo_bot,
            connector,
            f"<at>KAA-assistenten</at> {text}",
            entities=[BOT_MENTION],
            **CHANNEL,
        )
        assert len(replies) == 1 and "1:1-chatt" in replies[0]
        assert pnr not in replies[0] and pnr[2:8] not in replies[0]
    async with sessionmaker() as session:
        reference = await session.scalar(
            select(ConversationRef).where(ConversationRef.conversation_type == "channel")
        )
        assert await session.scalar(select(KaaCase)) is None
    assert reference is not None and reference.aad_object_id is None


async def test_register_dialog_survives_a_restart(start_bot, demo_bot, connector, sessionmaker):
    today = date.today()
    pnr = fictitious_personnummer(date(today.year - 17, 1, 15), 42, "man")
    assert "personnummer" in (await say(demo_bot, connector, "registrera"))[-1]
    await say(demo_bot, connector, pnr)
    await say(demo_bot, connector, "Nils")
    await demo_bot.close()

    restarted = await start_bot()
    replies = await say(restarted, connector, "Testsson")
    assert "datum" in replies[0]
    await say(restarted, connector, "idag")
    await say(restarted, connector, "1")
    await say(restarted, connector, "gymnasieskola")
    for answer in (
        "Katedralskolan",
        "nej",
        "070-123 45 67",
        "-",
        "Storgatan 1",
        "58222",
        "Linköping",
    ):
        await say(restarted, connector, answer)
    await say(restarted, connector, "Vårdnadshavare Testsson")
    await say(restarted, connector, "-")  # the guardian's phone
    same_address = await say(restarted, connector, "-")  # and e-mail
    assert "samma adress" in same_address[-1]
    await say(restarted, connector, "ja")
    summary = await say(restarted, connector, "jag")
    assert "Nils Testsson" in summary[0]
    done = await say(restarted, connector, "ja")
    assert "registrerad i ärende" in done[0]
    async with sessionmaker() as session:
        case = await session.scalar(select(KaaCase).order_by(KaaCase.id.desc()).limit(1))
    assert case.registration_reason == "avbrott_nationellt"
    assert case.registered_on == today
    assert case.school == "Katedralskolan"


async def test_bad_answers_are_asked_again_and_nothing_is_lost(demo_bot, connector):
    started = await say(demo_bot, connector, "registrera")
    assert "kortet" in started[0] and "personnummer" in started[1]
    wrong = await say(demo_bot, connector, "19800101-0000")
    assert len(wrong) == 2
    assert "personnummer" in wrong[1]
    too_old = await say(demo_bot, connector, fictitious_personnummer(date(1990, 1, 1), 3, "man"))
    assert "fyllt 20" in too_old[0]
    pnr = fictitious_personnummer(born(18), 4, "kvinna")  # an adult: no guardian is asked
    await say(demo_bot, connector, pnr)
    await say(demo_bot, connector, "Elin")
    help_text = await say(demo_bot, connector, "hjälp")
    assert "efternamn" in help_text[0] and "efternamnet" in help_text[1]
    await say(demo_bot, connector, "Testsson")
    future = await say(demo_bot, connector, "imorgon")
    assert "inte varit" in future[0]
    await say(demo_bot, connector, "idag")
    unknown = await say(demo_bot, connector, "blå")
    assert "kände inte igen" in unknown[0]
    await say(demo_bot, connector, "inflyttad")
    await say(demo_bot, connector, "3")
    assert "**ja** eller" in (await say(demo_bot, connector, "kanske"))[0]
    await say(demo_bot, connector, "nej")
    assert "siffror" in (await say(demo_bot, connector, "ring mig"))[0]
    await say(demo_bot, connector, "-")
    assert "E-postadressen" in (await say(demo_bot, connector, "elin.at.example"))[0]
    for answer in ("elin@example.se", "Storgatan 1"):
        await say(demo_bot, connector, answer)
    assert "fem siffror" in (await say(demo_bot, connector, "5822"))[0]
    await say(demo_bot, connector, "582 22")
    await say(demo_bot, connector, "Linköping")
    summary = await say(demo_bot, connector, "jag")
    assert "Elin Testsson" in summary[0]
    assert "inflyttad" in summary[0]
    cancelled = await say(demo_bot, connector, "avbryt")
    assert "avbröt" in cancelled[0]
    assert "förstod jag inte" in (await say(demo_bot, connector, "ja"))[0]


def _card_values(connector: FakeConnector) -> dict[str, Any]:
    card = next(a for a in reversed(connector.sent) if a.get("attachments"))
    content = card["attachments"][0]["content"]
    assert content["version"] == "1.5"
    submit = content["actions"][0]["data"]
    return dict(submit)


async def test_register_with_the_card_and_a_second_click(demo_bot, connector, sessionmaker):
    await say(demo_bot, connector, "registrera")
    submit = _card_values(connector)
    values = {
        **submit,
        "personnummer": fictitious_personnummer(date(date.today().year - 19, 6, 1), 8, "man"),
        "first_name": "Hugo",
        "last_name": "Kortsson",
        "registered_on": date.today().isoformat(),
        "reason": "inflyttad",
        "source": "inflyttad",
    }
    done = await say(demo_bot, connector, None, value=values)
    assert "registrerad i ärende" in done[-1]
    again = await say(demo_bot, connector, None, value=values)
    assert "redan sparat" in again[0]
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(KaaCase)))) == 1


async def test_card_with_errors_keeps_the_valid_fields(demo_bot, connector, sessionmaker):
    await say(demo_bot, connector, "registrera")
    submit = _card_values(connector)
    values = {
        **submit,
        "personnummer": "20070230-1234",
        "first_name": "Maja",
        "last_name": "Felsson",
        "registered_on": "2999-01-01",
        "reason": "inflyttad",
        "source": "grundskola",
    }
    replies = await say(demo_bot, connector, None, value=values)
    assert any("Personnummer:" in text for text in replies)
    assert any("Registreringsdatum:" in text for text in replies)
    card = next(a for a in reversed(connector.sent) if a.get("attachments"))
    inputs = {item["id"]: item.get("value") for item in _inputs(card["attachments"][0]["content"])}
    assert inputs["first_name"] == "Maja" and inputs["source"] == "grundskola"
    assert inputs["personnummer"] is None
    pnr = fictitious_personnummer(date(date.today().year - 19, 6, 1), 9, "kvinna")
    await say(demo_bot, connector, pnr)
    done = await say(demo_bot, connector, "idag")
    assert "registrerad i ärende" in done[-1]
    async with sessionmaker() as session:
        case = await session.scalar(select(KaaCase).options(selectinload(KaaCase.youth)))
    assert (case.youth.first_name, case.source) == ("Maja", "grundskola")


def _inputs(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if str(node.get("type", "")).startswith("Input.") else []
        return found + [item for value in node.values() for item in _inputs(value)]
    if isinstance(node, list):
        return [item for value in node for item in _inputs(value)]
    return []
