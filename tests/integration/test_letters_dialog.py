"""Skriv brev in the chat: kind, one youth or every new case, a PDF back, recorded once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from dialogs.context import FlowContext
from dialogs.engine import Reply
from storage.cases import HomeVisitInput
from storage.models import ContactEvent, Guardian
from tests.integration.capture import Chat, count, inputs
from tests.integration.letter_world import TODAY, letter_world
from tests.pdf_text import pdf_text


def _file(replies: list[Reply]):
    files = [reply.file for reply in replies if reply.file is not None]
    assert len(files) == 1, [reply.text for reply in replies]
    return files[0]


async def test_contact_letters_for_all_new_in_the_chat(sessionmaker):
    world = await letter_world(sessionmaker)
    chat = Chat(FlowContext(world.cases, world.anna), today=TODAY)
    assert "Vilket brev" in await chat.text("skriv brev")
    assert "alla nya" in await chat.text("kontaktbrev")
    summary = await chat.text("alla nya")
    assert "registreras som ett kontaktförsök" in summary
    replies = await chat.say("ja")
    file = _file(replies)
    assert (file.name, file.content_type) == ("kontaktbrev_2026-03-18.pdf", "application/pdf")
    text = pdf_text(file.data)
    assert "Hej Elin!" in text and "Hej Sara!" in text
    answer = replies[0].text
    assert "Olle Utanadress" in answer and "Adress saknas" in answer
    assert "3 kontaktförsök" in answer
    assert await count(sessionmaker, ContactEvent, channel="brev") == 3
    # A double click on "ja" starts nothing new; writing again records nothing new.
    await chat.say("kontaktbrev alla nya")
    again = await chat.say("ja")
    assert "redan registrerade" in again[0].text
    assert await count(sessionmaker, ContactEvent, channel="brev") == 3


async def test_a_reminder_letter_for_one_youth_and_a_home_visit_notice(sessionmaker):
    world = await letter_world(sessionmaker)
    chat = Chat(FlowContext(world.cases, world.anna), today=TODAY)
    question = await chat.text("påminnelsebrev")
    assert "Vilken ungdom" in question  # a påminnelsebrev is for one youth: no "alla nya"
    await chat.say("Elin")
    file = _file(await chat.say("ja"))
    assert "Hej igen Elin!" in pdf_text(file.data)

    await world.cases.plan_home_visit(
        world.anna,
        world.minor,
        HomeVisitInput(date(2026, 3, 25), world.anna.staff_id, None),
        today=TODAY,
    )
    await chat.say("skriv brev")
    await chat.say("hembesök")
    await chat.say("Elin")
    assert "ett spann" in await chat.text("efter lunch")
    assert "kl. 13.00–15.00" in await chat.text("13-15")
    text = pdf_text(_file(await chat.say("ja")).data)
    assert "onsdag 25 mars, kl. 13.00–15.00" in text
    assert "Anna Andersson och en kollega" in text


async def test_a_manager_is_told_no_and_nothing_is_written(sessionmaker):
    world = await letter_world(sessionmaker)
    chat = Chat(FlowContext(world.cases, world.chef), today=TODAY)
    await chat.say("kontaktbrev alla nya")
    replies = await chat.say("ja")
    assert "inte skriva brev" in " ".join(reply.text or "" for reply in replies)
    assert all(reply.file is None for reply in replies)


async def test_a_guardian_registered_at_the_youths_address_gets_letters(capture, sessionmaker):
    chat = capture.chat()
    await chat.say("registrera")
    assert inputs(chat.card())["guardian_same_address"]["value"] == "true"
    values = {
        **chat.submit_data(),
        "personnummer": "200809010127",
        "first_name": "Ebba",
        "last_name": "Ek",
        "registered_on": "2026-03-18",
        "reason": "inflyttad",
        "source": "inflyttad",
        "protected_identity": "false",
        "address": "Ågatan 3",
        "postal_code": "58222",
        "city": "Linköping",
        "guardian_name": "Gun Ek",
        "guardian_same_address": "true",
        "assigned_staff": str(capture.anna.staff_id),
    }
    assert "registrerad i ärende" in await chat.text(value=values)
    async with sessionmaker() as session:
        guardian = await session.scalar(select(Guardian))
    assert (guardian.address, guardian.postal_code, guardian.city) == (
        "Ågatan 3",
        "582 22",
        "Linköping",
    )
