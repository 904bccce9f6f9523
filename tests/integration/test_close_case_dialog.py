"""Avsluta ärende: date and reason required, "annan" needs text, open measures end too."""

from __future__ import annotations

from datetime import date

from storage.cases import ContactInput, MeasureInput
from storage.models import KaaCase, Measure
from tests.integration.capture import TODAY


async def _case(sessionmaker, case_id: int) -> KaaCase:
    async with sessionmaker() as session:
        return await session.get(KaaCase, case_id)


async def test_close_with_other_reason_and_an_open_measure(capture, sessionmaker):
    case_id = await capture.register("Oscar", serial=91)
    measure_id = await capture.cases.add_measure(
        capture.anna, case_id, MeasureInput("praktik", starts_on=date(2026, 2, 1)), today=TODAY
    )
    chat = capture.chat()
    await chat.say("avsluta ärende Oscar")
    before = await chat.text("2026-01-01")
    assert "registrerades 2026-01-10" in before
    assert "har inte varit" in await chat.text("imorgon")
    await chat.say("idag")
    assert "kände inte igen" in await chat.text("tröttnade")
    await chat.say("annan")
    assert "skriv vad orsaken är" in chat.replies[-1].text
    assert "med några ord" in await chat.text("")
    measures_question = await chat.text("Flyttar till Norge med familjen")
    assert "praktik (nr" in measures_question
    summary = await chat.text("Ungdomen flyttade")
    assert "avslutas samma dag: Ungdomen flyttade" in summary
    assert "är avslutat" in await chat.text("ja")
    case = await _case(sessionmaker, case_id)
    assert (case.status, case.deregistration_reason, case.deregistration_note) == (
        "closed",
        "annan",
        "Flyttar till Norge med familjen",
    )
    async with sessionmaker() as session:
        measure = await session.get(Measure, measure_id)
    assert (measure.ended_on, measure.end_reason) == (date(2026, 3, 18), "Ungdomen flyttade")
    await chat.say("kontakt Oscar")
    assert "hittar ingen" in chat.replies[0].text


async def test_close_by_card_and_a_change_by_someone_else(capture, sessionmaker):
    case_id = await capture.register("Liam", serial=92)
    chat = capture.chat()
    await chat.say(value={"flow": "avsluta_arende", "case_id": case_id})
    values = {
        **chat.submit_data(),
        "deregistered_on": "2026-03-18",
        "reason": "borjat_nationellt",
        "note": "",
        "measure_end_reason": "",
    }
    # Someone else documents a measure after the card was opened.
    await capture.cases.log_contact(
        capture.bert,
        case_id,
        ContactInput(date(2026, 3, 17), "sms", "ungdomen", "nadd"),
        today=TODAY,
    )
    await capture.cases.add_measure(
        capture.bert, case_id, MeasureInput("syv", starts_on=date(2026, 3, 1)), today=TODAY
    )
    answer = await chat.text(value=values)
    assert "ändrats av någon annan" in answer
    assert "pågående insatser" in chat.replies[-1].text
    assert (await _case(sessionmaker, case_id)).status == "active"
    await chat.say("Ungdomen började studera")
    assert "är avslutat" in await chat.text("ja")
    case = await _case(sessionmaker, case_id)
    assert (case.status, case.deregistration_reason) == ("closed", "borjat_nationellt")


async def test_close_cancelled_leaves_the_case_open(capture, sessionmaker):
    case_id = await capture.register("Adam", serial=93)
    chat = capture.chat()
    await chat.say("avsluta ärende Adam")
    await chat.say("idag")
    await chat.say("fyllt 20")
    assert "Stämmer" in chat.replies[-1].text
    assert "avbröt" in await chat.text("avbryt")
    assert (await _case(sessionmaker, case_id)).status == "active"
