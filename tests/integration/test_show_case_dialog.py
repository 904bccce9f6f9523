"""Visa ärende: the card with youth, contacts, measures, plan, reminders and what is missing."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from storage.cases import ContactInput, MeasureInput, PlanInput
from storage.models import AuditEntry
from tests.integration.capture import TODAY


def _card_text(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


async def test_show_case_card(capture, sessionmaker):
    case_id = await capture.register("Elin", "Andersson", serial=41, phone="070-123 45 67")
    await capture.cases.log_contact(
        capture.anna,
        case_id,
        ContactInput(date(2026, 3, 2), "telefon", "ungdomen", "nadd"),
        today=TODAY,
    )
    await capture.cases.add_measure(
        capture.anna,
        case_id,
        MeasureInput("praktik", goal="Prova ett yrke", starts_on=date(2026, 3, 5)),
        today=TODAY,
    )
    chat = capture.chat()
    replies = await chat.say("visa elin")
    card = replies[-1].card
    assert card["version"] == "1.5"
    text = _card_text(card)
    for expected in (
        "Elin Andersson",
        f"Ärende {case_id}",
        "Storgatan 1, 582 22 Linköping",
        "2026-03-02 · telefon · ungdomen · nådd",
        "praktik (nr",
        "Ingen kartläggning ännu.",
        "Kommande påminnelser",
        "saknar",
    ):
        assert expected in text, expected
    flows = {action["data"]["flow"] for action in card["actions"]}
    assert {"kontakt", "insats", "avsluta_arende"} <= flows
    assert all(action["data"]["case_id"] == case_id for action in card["actions"])
    async with sessionmaker() as session:
        actions = list(
            await session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case_id))
        )
    assert "case.read" in actions


async def test_protected_identity_never_shows_the_address(capture):
    await capture.register("Saga", serial=42, protected_identity=True, address="Hemliga vägen 9")
    chat = capture.chat()
    replies = await chat.say("visa Saga Testsson")
    text = _card_text(replies[-1].card)
    assert "Hemliga" not in text and "skyddade personuppgifter" in text.lower()


async def test_a_complete_plan_is_shown(capture):
    case_id = await capture.register("Maja", serial=43)
    await capture.cases.revise_plan(
        capture.anna,
        case_id,
        PlanInput("Börja på el-programmet", "SYV", "Hjälp att söka", date(2026, 4, 1)),
        today=TODAY,
    )
    await capture.cases.record_consent(
        capture.anna, case_id, date(2026, 3, 1), "Arbetsförmedlingen", today=TODAY
    )
    chat = capture.chat()
    replies = await chat.say(f"visa {case_id}")
    text = _card_text(replies[-1].card)
    assert "Version 1 från" in text and "Börja på el-programmet" in text
    assert "Samtycke från 2026-03-01: Arbetsförmedlingen" in text


async def test_show_unknown_and_another_municipality(capture):
    other = await capture.register("Olle", serial=44, actor=capture.other)
    chat = capture.chat()
    assert "hittar ingen" in (await chat.say("visa Olle"))[0].text
    assert chat.active == "visa"
    assert f"inget ärende med nummer {other}" in (await chat.say(str(other)))[0].text
    assert "avbröt" in (await chat.say("avbryt"))[0].text
