"""Sysselsättning: kind, extent (heltid / deltid %), date; part-time komvux stays in KAA."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import Occupation
from tests.integration.capture import inputs


async def _occupations(sessionmaker) -> list[Occupation]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Occupation).order_by(Occupation.id)))


async def test_part_time_komvux_stays_in_kaa(capture, sessionmaker):
    await capture.register("Wilma", serial=81)
    chat = capture.chat()
    await chat.say("sysselsättning Wilma")
    assert "kände inte igen" in await chat.text("astronaut")
    await chat.say("komvux")
    assert "heltid" in await chat.text("lite grann")
    assert "procent" in await chat.text("150")
    await chat.say("deltid 50 %")
    assert "förstod inte" in await chat.text("snart")
    await chat.say("1/3")
    summary = await chat.text("Matte 1a")
    assert "Omfattning: deltid 50 %" in summary
    done = await chat.text("ja")
    assert "finns kvar i aktivitetsansvaret" in done
    [occupation] = await _occupations(sessionmaker)
    assert (occupation.kind, occupation.extent_percent, occupation.valid_from) == (
        "studier_komvux",
        50,
        date(2026, 3, 1),
    )


async def test_national_programme_suggests_closing_and_no_extent_for_unknown(capture, sessionmaker):
    case_id = await capture.register("Nils", serial=82)
    chat = capture.chat()
    await chat.say(value={"flow": "sysselsattning", "case_id": case_id})
    assert inputs(chat.card())["extent"]["regex"]
    values = {
        **chat.submit_data(),
        "kind": "studier_nationellt",
        "extent": "",
        "valid_from": "2026-08-17",
        "note": "",
    }
    # A start ahead is a judgement: asked, not refused (an admission already decided).
    assert "inte har varit än" in await chat.text(value=values)
    assert "avsluta ärende" in await chat.text("ja")
    await chat.say("sysselsättning Nils")
    await chat.say("okänd")
    assert "Från vilket datum" in chat.replies[-1].text
    await chat.say("idag")
    summary = await chat.text("-")
    assert "Stämmer" in summary and "Omfattning" not in summary
    await chat.say("ja")
    kinds = [(o.kind, o.extent_percent) for o in await _occupations(sessionmaker)]
    assert kinds == [("studier_nationellt", 100), ("okand", 100)]


async def test_occupation_cancelled(capture, sessionmaker):
    await capture.register("Ebba", serial=83)
    chat = capture.chat()
    await chat.say("sysselsättning Ebba")
    await chat.say("arbete")
    assert "avbröt" in await chat.text("avbryt")
    assert await _occupations(sessionmaker) == []
