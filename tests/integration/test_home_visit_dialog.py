"""Hembesök: plan (two staff, notice), record the outcome, protected identity."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import HomeVisit
from tests.integration.capture import inputs


async def _visits(sessionmaker) -> list[HomeVisit]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(HomeVisit).order_by(HomeVisit.id)))


async def test_plan_then_record_the_visit(capture, sessionmaker):
    await capture.register("Ella", serial=71)
    chat = capture.chat()
    await chat.say("planera hembesök Ella")
    assert "Vilken dag ska hembesöket" in chat.replies[-1].text
    assert "har redan varit" in await chat.text("igår")
    await chat.say("på tisdag")
    assert "kände inte igen" in await chat.text("Zorro")
    await chat.say("Bert")
    assert "har inte varit" in await chat.text("imorgon")
    summary = await chat.text("idag")
    assert "Adress: Storgatan 1, 582 22 Linköping" in summary and "Bert Berg" in summary
    assert "planerat" in await chat.text("ja")
    [visit] = await _visits(sessionmaker)
    assert (visit.planned_on, visit.notice_sent_on) == (date(2026, 3, 24), date(2026, 3, 18))
    assert (visit.first_staff_id, visit.second_staff_id) == (
        capture.anna.staff_id,
        capture.bert.staff_id,
    )

    await chat.say("hembesök Ella")
    await chat.say("dokumentera")
    assert "Vilket hembesök" in chat.replies[-1].text
    await chat.say("1")
    await chat.say("idag")
    assert "kände inte igen" in await chat.text("kanske")
    await chat.say("ej hemma")
    await chat.say("Lämnade infoblad i brevlådan")
    assert "dokumenterat" in await chat.text("ja")
    [visit] = await _visits(sessionmaker)
    assert (visit.visited_on, visit.outcome) == (date(2026, 3, 18), "ej_hemma")


async def test_unplanned_visit_by_card(capture, sessionmaker):
    case_id = await capture.register("Alva", serial=72)
    chat = capture.chat()
    await chat.say(value={"flow": "hembesok", "case_id": case_id, "mode": "resultat"})
    card_inputs = inputs(chat.card())
    assert {c["value"] for c in card_inputs["outcome"]["choices"]} == {
        "traffad",
        "ej_hemma",
        "fel_adress",
    }
    values = {
        **chat.submit_data(),
        "visited_on": "2026-03-16",
        "outcome": "traffad",
        "second_staff": str(capture.bert.staff_id),
        "note": "",
    }
    assert "dokumenterat" in await chat.text(value=values)
    [visit] = await _visits(sessionmaker)
    assert (visit.planned_on, visit.visited_on, visit.outcome) == (
        date(2026, 3, 16),
        date(2026, 3, 16),
        "traffad",
    )
    assert visit.second_staff_id == capture.bert.staff_id


async def test_protected_identity_needs_confirmation_and_hides_the_address(capture, sessionmaker):
    await capture.register("Saga", serial=73, protected_identity=True, address="Hemliga vägen 9")
    chat = capture.chat()
    await chat.say("planera hembesök Saga")
    warning = chat.replies[-1].text
    assert "skyddade personuppgifter" in warning and "Hemliga" not in warning
    assert "Okej, jag planerade inget" in await chat.text("nej")
    assert await _visits(sessionmaker) == []

    await chat.say("planera hembesök Saga")
    await chat.say("ja")
    await chat.say("nästa vecka")
    await chat.say("-")
    summary = await chat.text("-")
    assert "Hemliga" not in summary and "ni ska vara två" in summary
    await chat.say("ja")
    [visit] = await _visits(sessionmaker)
    assert visit.second_staff_id is None and visit.planned_on == date(2026, 3, 23)
    card_text = str(chat.replies)
    assert "Hemliga" not in card_text
