"""Kartläggning / plan (versions kept) and samtycke (given, withdrawn)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import Consent, PlanRevision
from tests.integration.capture import inputs


async def _plans(sessionmaker) -> list[PlanRevision]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(PlanRevision).order_by(PlanRevision.revision)))


async def test_plan_by_text_then_a_new_version_by_card(capture, sessionmaker):
    case_id = await capture.register("Elias", serial=51)
    chat = capture.chat()
    await chat.say("kartläggning Elias")
    assert "Skriv mål med några ord" in await chat.text("")
    await chat.say("Jobba som snickare")
    warning = await chat.text("Behöver KBT för sin depression")
    assert "”KBT”" in warning and "”depression”" in warning
    await chat.say("Praktik och SYV")
    await chat.say("-")
    past = await chat.text("igår")
    assert "har redan varit" in past and "När ska planen" in past
    assert "Stämmer" in await chat.text("om en månad")
    assert "version 1" in await chat.text("ja")

    await chat.say(value={"flow": "plan", "case_id": case_id})
    card_inputs = inputs(chat.card())
    assert card_inputs["goals"]["isRequired"] and card_inputs["follow_up_on"]["errorMessage"]
    values = {
        **chat.submit_data(),
        "goals": "Börja på bygg- och anläggningsprogrammet",
        "needs": "",
        "expectations": "Vill ha hjälp att söka",
        "follow_up_on": "2026-05-04",
    }
    assert "version 2" in await chat.text(value=values)
    plans = await _plans(sessionmaker)
    assert [(p.revision, p.goals) for p in plans] == [
        (1, "Jobba som snickare"),
        (2, "Börja på bygg- och anläggningsprogrammet"),
    ]
    assert (plans[0].needs, plans[0].follow_up_on) == ("Praktik och SYV", date(2026, 4, 18))
    assert (plans[1].needs, plans[1].expectations) == (None, "Vill ha hjälp att söka")


async def test_plan_cancelled_saves_nothing(capture, sessionmaker):
    await capture.register("Lucas", serial=52)
    chat = capture.chat()
    await chat.say("plan Lucas")
    await chat.say("Gymnasiet")
    assert "avbröt" in await chat.text("avbryt")
    assert await _plans(sessionmaker) == []


async def test_consent_given_and_withdrawn(capture, sessionmaker):
    await capture.register("William", serial=53)
    chat = capture.chat()
    await chat.say("samtycke William")
    assert "kände inte igen" in await chat.text("kanske")
    await chat.say("1")
    assert "har inte varit" in await chat.text("på fredag")
    await chat.say("2026-03-10")
    await chat.say("Arbetsförmedlingen och socialtjänsten")
    assert "Klart!" in await chat.text("ja")

    await chat.say("återkalla samtycke William")
    assert "Vilket datum" in chat.replies[-1].text
    await chat.say("idag")
    assert "återkallat" in await chat.text("ja")
    async with sessionmaker() as session:
        [consent] = list(await session.scalars(select(Consent)))
    assert consent.actors == "Arbetsförmedlingen och socialtjänsten"
    assert (consent.given_on, consent.withdrawn_on) == (date(2026, 3, 10), date(2026, 3, 18))

    await chat.say("återkalla samtycke William")
    await chat.say("idag")
    answer = await chat.text("ja")
    assert "inget samtycke att återkalla" in answer and chat.active == "samtycke"
