"""Ny insats (the seven documentation points, declined offers, the municipality's own types),
avsluta insats and utvärdera insats."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.cases import DECLINED_END_REASON, MeasureInput
from storage.models import Measure, MeasureRevision, Municipality
from tests.integration.capture import TODAY, count, inputs


async def _measures(sessionmaker) -> list[Measure]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Measure).order_by(Measure.id)))


async def test_new_measure_by_text_with_bad_answers(capture, sessionmaker):
    await capture.register("Adam", serial=61)
    chat = capture.chat()
    await chat.say("ny insats Adam")
    assert "kände inte igen" in await chat.text("cirkus")
    await chat.say("praktik")
    await chat.say("ja")
    await chat.say("på måndag")
    await chat.say("Prova på vården")
    await chat.say("Fyra veckor på ett äldreboende")
    for answer in ("-", "-", "-"):
        await chat.say(answer)
    assert "förstod inte" in await chat.text("snart")
    before = await chat.text("2026-03-01")
    assert "före insatsens start" in before and "2026-03-23" in before
    await chat.say("2026-04-20")
    assert "har redan varit" in await chat.text("i måndags")
    await chat.say("om 2 veckor")
    assert "före uppföljningen" in await chat.text("2026-03-25")
    summary = await chat.text("2026-04-20")
    assert "Stämmer" in summary and "Fyra veckor" in summary
    # Nobody responsible: the responsibilities are asked again.
    again = await chat.text("ja")
    assert "Någon måste ansvara" in again and "Vad ansvarar ungdomen för?" in again
    await chat.say("Komma i tid")
    await chat.say("Ordna platsen")
    await chat.say("Äldreboendet Solgården")
    await chat.say("Handleda på plats")
    assert "Klart!" in await chat.text("ja")
    [measure] = await _measures(sessionmaker)
    assert (measure.measure_type, measure.starts_on, measure.ends_on) == (
        "praktik",
        date(2026, 3, 23),
        date(2026, 4, 20),
    )
    assert (measure.follow_up_on, measure.evaluate_on) == (date(2026, 4, 1), date(2026, 4, 20))
    assert measure.youth_responsibility == "Komma i tid"
    assert (measure.other_actor, measure.other_actor_responsibility) == (
        "Äldreboendet Solgården",
        "Handleda på plats",
    )
    assert measure.goal == "Prova på vården" and not measure.declined


async def test_declined_offer_is_documented_and_ended(capture, sessionmaker):
    await capture.register("Noah", serial=62)
    chat = capture.chat()
    await chat.say("insats Noah")
    await chat.say("syv")
    await chat.say("nej")
    assert "redan tackat nej" in await chat.text("imorgon")
    await chat.say("igår")
    summary = await chat.text("-")
    assert "Erbjuden: 2026-03-17" in summary and "Uppföljning" not in summary
    assert "tackade nej" in await chat.text("ja")
    [measure] = await _measures(sessionmaker)
    assert measure.declined and measure.ended_on == date(2026, 3, 17)
    assert measure.end_reason == DECLINED_END_REASON


async def test_municipality_measure_types_and_the_card(capture, sessionmaker):
    async with sessionmaker() as session, session.begin():
        municipality = await session.get(Municipality, capture.anna.municipality_id)
        municipality.settings = {"measure_types": {"jobbspar": "Jobbspåret", "syv": "Vägledning"}}
    case_id = await capture.register("Liam", serial=63)
    chat = capture.chat()
    await chat.say(value={"flow": "insats", "case_id": case_id})
    choices = inputs(chat.card())["measure_type"]["choices"]
    assert [c["value"] for c in choices] == ["jobbspar", "syv"]
    values = {
        **chat.submit_data(),
        "measure_type": "jobbspar",
        "offer": "ja",
        "starts_on": "2026-03-20",
        "goal": "Få ett jobb",
        "description": "",
        "youth_responsibility": "",
        "municipality_responsibility": "Coacha",
        "other_actor": "",
        "other_actor_responsibility": "",
        "ends_on": "",
        "follow_up_on": "2026-04-01",
        "evaluate_on": "2026-05-01",
    }
    assert "Jobbspåret är sparad" in await chat.text(value=values)
    [measure] = await _measures(sessionmaker)
    assert (measure.measure_type, measure.municipality_responsibility) == ("jobbspar", "Coacha")
    assert measure.other_actor is None


async def test_end_measure_picks_the_only_one_and_needs_a_reason(capture, sessionmaker):
    case_id = await capture.register("Hugo", serial=64)
    chat = capture.chat()
    await chat.say("avsluta insats Hugo")
    assert "ingen pågående insats" in chat.replies[0].text
    await chat.say("avbryt")
    measure_id = await capture.cases.add_measure(
        capture.anna, case_id, MeasureInput("praktik", starts_on=date(2026, 3, 1)), today=TODAY
    )
    await chat.say("avsluta insats Hugo")
    assert "Vilken dag avslutades" in chat.replies[-1].text
    assert "före insatsens start" in await chat.text("2026-02-20")
    await chat.say("idag")
    assert "med några ord" in await chat.text("")
    await chat.say("Fick ett jobb")
    assert "Klart!" in await chat.text("ja")
    [measure] = await _measures(sessionmaker)
    assert (measure.id, measure.ended_on, measure.end_reason) == (
        measure_id,
        date(2026, 3, 18),
        "Fick ett jobb",
    )
    assert await count(sessionmaker, MeasureRevision, measure_id=measure_id) == 2


async def test_end_and_evaluate_with_two_measures(capture, sessionmaker):
    case_id = await capture.register("Elias", serial=65)
    first = await capture.cases.add_measure(
        capture.anna, case_id, MeasureInput("praktik", starts_on=date(2026, 2, 1)), today=TODAY
    )
    second = await capture.cases.add_measure(
        capture.anna, case_id, MeasureInput("syv", starts_on=date(2026, 2, 15)), today=TODAY
    )
    chat = capture.chat()
    await chat.say("avsluta insats Elias")
    assert "Vilken insats" in chat.replies[-1].text
    assert "kände inte igen" in await chat.text("7")
    await chat.say("2")
    await chat.say("igår")
    await chat.say("Målet nått")
    await chat.say("ja")

    await chat.say("utvärdera insats Elias")
    await chat.say("1")
    assert "har inte varit" in await chat.text("imorgon")
    await chat.say("idag")
    await chat.say("Har sökt till komvux")
    await chat.say("Ungdomen kom närmare sitt mål")
    assert "Utvärderingen" in await chat.text("ja")
    by_id = {m.id: m for m in await _measures(sessionmaker)}
    assert by_id[second].ended_on == date(2026, 3, 17) and by_id[first].ended_on is None
    assert by_id[first].evaluated_on == date(2026, 3, 18)
    assert by_id[first].evaluation_effect == "Ungdomen kom närmare sitt mål"


async def test_manager_cannot_add_a_measure(capture, sessionmaker):
    await capture.register("Ali", serial=66)
    chat = capture.chat(capture.chef)
    await chat.say("insats Ali")
    for answer in ("praktik", "nej", "idag", "-"):
        await chat.say(answer)
    answer = await chat.text("ja")
    assert "chef kan du läsa" in answer and "Stämmer" in answer
    assert await _measures(sessionmaker) == []
