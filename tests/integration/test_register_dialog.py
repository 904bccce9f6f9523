"""Registrera ungdom: contact details, assigned staff, an existing case, a new period."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storage.case_queries import CaseQueries
from storage.cases import Closing
from storage.demo import fictitious_personnummer
from storage.models import KaaCase, Youth
from tests.integration.capture import TODAY, count, inputs

PNR = fictitious_personnummer(date(2007, 9, 1), 31, "man")


async def _cases(sessionmaker) -> list[KaaCase]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(
                select(KaaCase).options(selectinload(KaaCase.youth)).order_by(KaaCase.id)
            )
        )


async def test_card_with_contact_details_and_a_colleague_as_staff(capture, sessionmaker):
    chat = capture.chat()
    await chat.say("registrera")
    card_inputs = inputs(chat.card())
    staff = {
        choice["title"]: choice["value"] for choice in card_inputs["assigned_staff"]["choices"]
    }
    assert set(staff) == {"Anna Ek (jag)", "Bert Berg"}
    assert card_inputs["assigned_staff"]["value"] == str(capture.anna.staff_id)
    assert card_inputs["email"]["regex"] and card_inputs["email"]["errorMessage"]
    values = {
        **chat.submit_data(),
        "personnummer": PNR,
        "first_name": "Adam",
        "last_name": "Kortsson",
        "registered_on": "2026-03-18",
        "reason": "inflyttad",
        "source": "inflyttad",
        "protected_identity": "false",
        "phone": "070-111 22 33",
        "email": "adam@example.se",
        "address": "Ågatan 3",
        "postal_code": "58222",
        "city": "Linköping",
        "assigned_staff": staff["Bert Berg"],
    }
    assert "registrerad i ärende" in await chat.text(value=values)
    [case] = await _cases(sessionmaker)
    assert case.assigned_staff_id == capture.bert.staff_id
    youth = case.youth
    assert (youth.phone, youth.email, youth.address) == (
        "070-111 22 33",
        "adam@example.se",
        "Ågatan 3",
    )
    assert (youth.postal_code, youth.city, youth.protected_identity) == (
        "582 22",
        "Linköping",
        False,
    )


async def test_protected_identity_is_asked_and_no_address_is_stored(capture, sessionmaker):
    chat = capture.chat()
    await chat.say("registrera")
    for answer in (PNR, "Ali", "Skyddsson", "idag", "1", "socialtjänst"):
        await chat.say(answer)
    assert "Har ungdomen skyddade personuppgifter" in chat.replies[-1].text
    assert "telefonnummer" in await chat.text("ja")
    assert chat.data["protected_identity"] is True
    await chat.say("-")
    # No question about the address: straight on to who handles the case.
    assert "Vem ska vara handläggare" in await chat.text("-")
    summary = await chat.text("jag")
    assert "ingen adress sparas" in summary
    assert "registrerad i ärende" in await chat.text("ja")
    [case] = await _cases(sessionmaker)
    assert case.youth.protected_identity and case.youth.address is None
    assert case.assigned_staff_id == capture.anna.staff_id


async def test_a_registered_personnummer_opens_that_case(capture, sessionmaker):
    case_id = await capture.register("Hugo", serial=32, personnummer=PNR)
    chat = capture.chat()
    await chat.say("registrera")
    replies = await chat.say(PNR)
    assert f"i ärende {case_id}" in replies[0].text
    assert replies[1].card is not None and "Hugo Testsson" in str(replies[1].card)
    assert chat.active is None
    assert len(await _cases(sessionmaker)) == 1


async def test_a_closed_case_offers_a_new_period(capture, sessionmaker):
    case_id = await capture.register("Oscar", serial=33, personnummer=PNR)
    case = await CaseQueries(capture.cases.sessionmaker).view(capture.anna, case_id)
    await capture.cases.close_case(
        capture.anna, case_id, Closing(date(2026, 2, 1), "flyttat"), case.version, today=TODAY
    )
    chat = capture.chat()
    await chat.say("registrera")
    assert f"avslutat ärende ({case_id})" in await chat.text(PNR)
    assert "Okej" in await chat.text("nej")
    assert chat.active is None and len(await _cases(sessionmaker)) == 1

    await chat.say("registrera")
    await chat.say(PNR)
    assert "Vilket datum" in await chat.text("ja")
    for answer in ("idag", "inflyttad", "inflyttad"):
        await chat.say(answer)
    summary = await chat.text("jag")
    assert "Oscar Testsson" in summary and "Ny period" in summary
    assert "ny period i ärende" in await chat.text("ja")
    cases = await _cases(sessionmaker)
    assert [c.status for c in cases] == ["closed", "active"]
    assert cases[0].youth_id == cases[1].youth_id
    assert await count(sessionmaker, Youth) == 1


async def test_a_quick_question_mid_flow_is_answered_and_the_question_repeated(capture):
    await capture.register("Hugo", serial=34)
    chat = capture.chat()
    await chat.say("registrera")
    for answer in (PNR, "Nils", "Berg"):
        await chat.say(answer)
    answered = await chat.text("hur manga ar inskrivna")
    assert "inskriv" in answered.lower()
    assert "Nu fortsätter vi med **Registrera ungdom**" in answered
    assert answered.rstrip().endswith("(till exempel idag eller 15 mars)")
    assert (chat.data["first_name"], chat.data["last_name"]) == ("Nils", "Berg")
    await chat.say("idag")
    assert chat.data["registered_on"] == chat.today.isoformat()
