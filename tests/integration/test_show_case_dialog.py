"""Visa ärende: the card with youth, contacts, measures, plan, reminders and what is missing."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from storage.cases import ContactInput, HomeVisitInput, MeasureInput, PlanInput
from storage.models import AuditEntry
from tests.integration.capture import TODAY


def _card_text(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


async def test_show_case_card(capture, sessionmaker):
    case_id = await capture.register("Elin", "Andersson", serial=41, phone="070-123 45 67")
    await capture.cases.log_contact(
        capture.anna,
        case_id,
        ContactInput(date(2026, 3, 2), "telefon", "ungdomen", "nadd", "Vill prova på praktik"),
        today=TODAY,
    )
    await capture.cases.add_measure(
        capture.anna,
        case_id,
        MeasureInput("praktik", goal="Prova ett yrke", starts_on=date(2026, 3, 5)),
        today=TODAY,
    )
    ended = await capture.cases.add_measure(
        capture.anna, case_id, MeasureInput("syv", starts_on=date(2026, 2, 1)), today=TODAY
    )
    await capture.cases.end_measure(
        capture.anna, ended, date(2026, 3, 1), "Valde praktik", today=TODAY
    )
    await capture.cases.log_home_visit(
        capture.anna,
        case_id,
        HomeVisitInput(date(2026, 2, 20), capture.anna.staff_id, None),
        "traffad",
        "Träffade mamma",
        today=TODAY,
    )
    await capture.cases.plan_home_visit(
        capture.anna,
        case_id,
        HomeVisitInput(date(2026, 3, 25), capture.anna.staff_id, None),
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
        "2026-03-02 · telefon · ungdomen · nådd: ”Vill prova på praktik”",
        "praktik – start 2026-03-05",
        "Avslutade insatser",
        "studie- och yrkesvägledning – avslutad 2026-03-01: Valde praktik, ej utvärderad",
        "2026-02-20 · träffad: ”Träffade mamma”",
        "planerat 2026-03-25",
        "Ingen kartläggning ännu.",
        "Kommande påminnelser",
        "saknar",
    ):
        assert expected in text, expected
    assert "(nr" not in text and f"nr {ended}" not in text
    flows = {action["data"]["flow"] for action in card["actions"]}
    assert {"kontakt", "insats", "avsluta_arende"} <= flows
    assert all(action["data"]["case_id"] == case_id for action in card["actions"])
    async with sessionmaker() as session:
        actions = list(
            await session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case_id))
        )
    assert actions.count("case.read") == 1 and "case.open" not in actions


async def test_overdue_reminders_are_shown_as_overdue(capture):
    await capture.register("Nora", serial=45)
    chat = capture.chat()
    card = (await chat.say("visa Nora"))[-1].card
    body = [block.get("text", "") for block in card["body"]]
    overdue = body[body.index("Försenat") + 1]
    # Registered 2026-01-10 and never contacted: the first attempt was due in January.
    assert overdue.startswith("- skulle gjorts 2026-01-"), overdue
    coming = body[body.index("Kommande påminnelser") + 1]
    assert "2026-01-" not in coming and "2026-02-" not in coming, coming


async def test_a_long_note_is_cut(capture):
    case_id = await capture.register("Vera", serial=46)
    await capture.cases.log_contact(
        capture.anna,
        case_id,
        ContactInput(date(2026, 3, 2), "telefon", "ungdomen", "nadd", "ord " * 100),
        today=TODAY,
    )
    text = _card_text((await capture.chat().say(f"visa {case_id}"))[-1].card)
    assert "ord ord…”" in text and "ord " * 60 not in text


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
