"""The capture dialogs over HTTP, as Teams talks to the bot, on both databases."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from storage.demo import fictitious_personnummer
from storage.models import ContactEvent, KaaCase
from tests.clock import born
from tests.integration.teams import FakeConnector, say


def _last_card(connector: FakeConnector) -> dict[str, Any]:
    sent = next(a for a in reversed(connector.sent) if a.get("attachments"))
    return sent["attachments"][0]["content"]


async def _register(client, connector) -> str:
    pnr = fictitious_personnummer(born(18), 12, "kvinna")  # an adult: no guardian is asked
    await say(client, connector, "registrera")
    values = {
        **_last_card(connector)["actions"][0]["data"],
        "personnummer": pnr,
        "first_name": "Tuva",
        "last_name": "Httpsson",
        "registered_on": date.today().isoformat(),
        "reason": "inflyttad",
        "source": "inflyttad",
        "protected_identity": "false",
    }
    done = await say(client, connector, None, value=values)
    assert "registrerad i ärende" in done[-1]
    return pnr


async def test_contact_by_text_and_visa_over_http(demo_bot, connector, sessionmaker):
    await _register(demo_bot, connector)
    await say(demo_bot, connector, "logga kontakt tuva")
    assert "Tuva Httpsson" in str(_last_card(connector))
    assert "har inte varit" in (await say(demo_bot, connector, "imorgon"))[0]
    for answer in ("idag", "telefon", "ungdomen", "nådd", "-", "Bokade ett möte"):
        await say(demo_bot, connector, answer)
    assert "Klart!" in (await say(demo_bot, connector, "ja"))[0]
    await say(demo_bot, connector, "visa Tuva")
    card = str(_last_card(connector))
    assert "Tuva Httpsson" in card and "telefon · ungdomen · nådd" in card
    async with sessionmaker() as session:
        [contact] = list(await session.scalars(select(ContactEvent)))
    assert contact.note == "Bokade ett möte"


async def test_button_opens_the_flow_and_a_card_twice_saves_once(demo_bot, connector, sessionmaker):
    await _register(demo_bot, connector)
    async with sessionmaker() as session:
        case = await session.scalar(select(KaaCase))
    replies = await say(demo_bot, connector, None, value={"flow": "kontakt", "case_id": case.id})
    assert "Vilken dag" in replies[-1]
    values = {
        **_last_card(connector)["actions"][0]["data"],
        "occurred_on": date.today().isoformat(),
        "channel": "sms",
        "counterpart": "ungdomen",
        "outcome": "ej_nadd",
    }
    assert "Klart!" in (await say(demo_bot, connector, None, value=values))[-1]
    assert "redan sparat" in (await say(demo_bot, connector, None, value=values))[0]
    async with sessionmaker() as session:
        assert len(list(await session.scalars(select(ContactEvent)))) == 1


async def test_unknown_case_id_in_a_button_is_refused(demo_bot, connector):
    replies = await say(demo_bot, connector, None, value={"flow": "kontakt", "case_id": 999})
    assert "inget ärende med nummer 999" in replies[0]
    assert "Vilken ungdom" in replies[-1]
