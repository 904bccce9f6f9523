"""Logga kontakt, by text and by card, with every bad answer, on both databases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import AuditEntry, ContactEvent, Occupation
from tests.integration.capture import count, inputs


async def _contacts(sessionmaker) -> list[ContactEvent]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(ContactEvent).order_by(ContactEvent.id)))


async def test_contact_by_text_with_every_bad_answer(capture, sessionmaker):
    case_id = await capture.register("Elin", "Andersson", serial=1)
    chat = capture.chat()

    assert "Vilken ungdom" in await chat.text("logga kontakt")
    assert "hittar ingen" in await chat.text("Zyxwv")
    assert "Vilken ungdom" in chat.replies[-1].text
    # A typo in the name still finds her; then the card for the rest comes.
    answer = await chat.text("Elin Anderson")
    assert "Elin Andersson" in chat.card()["body"][1]["text"]
    assert "Vilken dag" in answer
    future = await chat.text("imorgon")
    assert "har inte varit än" in future and "Vilken dag" in future
    assert "förstod inte" in await chat.text("blåbär")
    await chat.text("igår")
    assert "kände inte igen" in await chat.text("fax")
    await chat.text("telefon")
    await chat.text("2")
    await chat.text("nådd")
    await chat.text("arbete")
    warning = await chat.text("Hon har adhd och går hos BUP")
    assert "känsliga uppgifter" in warning and "”adhd”" in warning and "”BUP”" in warning
    assert await count(sessionmaker, ContactEvent) == 0
    await chat.text("Pratade om praktik på ett kafé.")
    summary = await chat.text()
    assert chat.active == "kontakt"
    assert "Pratade om praktik" in chat.replies[-1].text
    assert "Stämmer det här?" in summary
    assert "Klart!" in await chat.text("ja")
    assert chat.active is None

    [contact] = await _contacts(sessionmaker)
    assert (contact.case_id, contact.occurred_on, contact.channel) == (
        case_id,
        date(2026, 3, 17),
        "telefon",
    )
    assert (contact.counterpart, contact.outcome) == ("vardnadshavare", "nadd")
    assert contact.note == "Pratade om praktik på ett kafé."
    async with sessionmaker() as session:
        occupation = await session.scalar(select(Occupation))
        details = list(await session.scalars(select(AuditEntry.detail)))
    assert (occupation.kind, occupation.valid_from) == ("arbete", date(2026, 3, 17))
    assert not any("adhd" in (detail or "").lower() for detail in details)


async def test_sensitive_note_can_be_kept_on_purpose(capture, sessionmaker):
    await capture.register("Maja", serial=2)
    chat = capture.chat()
    await chat.text("kontakt Maja")
    for answer in ("idag", "sms", "ungdomen", "ej nådd", "-"):
        await chat.text(answer)
    assert "spara ändå" in await chat.text("Frågade om hon vill ha kontakt med kurator om ångest")
    assert "Stämmer det här?" in await chat.text("spara ändå")
    await chat.text("ja")
    [contact] = await _contacts(sessionmaker)
    assert contact.note.endswith("om ångest")
    assert contact.outcome == "ej_nadd"
    assert await count(sessionmaker, Occupation) == 0


async def test_contact_by_card(capture, sessionmaker):
    case_id = await capture.register("Saga", serial=3)
    chat = capture.chat()
    await chat.say("kontakt")
    await chat.say(f"Saga Testsson (ärende {case_id})")
    submit = chat.submit_data()
    assert submit["case_id"] == case_id and submit["flow"] == "kontakt"
    card_inputs = inputs(chat.card())
    assert card_inputs["occurred_on"]["isRequired"] is True
    assert {c["value"] for c in card_inputs["channel"]["choices"]} >= {"telefon", "brev"}
    values = {
        **submit,
        "occurred_on": "2026-03-16",
        "channel": "mote",
        "counterpart": "ungdomen",
        "outcome": "nadd",
        "occupation": "",
        "note": "",
    }
    done = await chat.text(value=values)
    assert "Klart!" in done
    [contact] = await _contacts(sessionmaker)
    assert (contact.channel, contact.note) == ("mote", None)
    assert await count(sessionmaker, Occupation) == 0


async def test_card_errors_keep_the_valid_answers(capture, sessionmaker):
    case_id = await capture.register("Wilma", serial=4)
    chat = capture.chat()
    await chat.say(f"kontakt {case_id}")
    values = {
        **chat.submit_data(),
        "occurred_on": "2026-04-01",
        "channel": "telefon",
        "counterpart": "skola",
        "outcome": "nadd",
        "note": "Mamman berättade att hon är sjukskriven",
    }
    answer = await chat.text(value=values)
    assert "**Datum:**" in answer and "har inte varit än" in answer
    assert "**Anteckning:**" in answer
    card_inputs = inputs(chat.card())
    assert card_inputs["channel"]["value"] == "telefon"
    assert card_inputs["note"]["value"].startswith("Mamman")
    assert "occurred_on" not in chat.data
    await chat.text("igår")
    assert "Stämmer" not in chat.replies[-1].text
    # The card's button already said "save": the last missing answer saves it.
    assert "Klart!" in await chat.text("Mamman ringer tillbaka")
    [contact] = await _contacts(sessionmaker)
    assert (contact.counterpart, contact.note) == ("skola", "Mamman ringer tillbaka")


async def test_button_with_case_id_starts_the_contact_flow(capture):
    """The reminder's *Klar* button sends exactly this."""
    case_id = await capture.register("Ebba", serial=5)
    chat = capture.chat()
    replies = await chat.say(value={"flow": "kontakt", "case_id": case_id})
    assert chat.active == "kontakt" and chat.data["case_id"] == case_id
    assert chat.submit_data()["case_id"] == case_id
    assert "Vilken dag" in replies[-1].text


async def test_cancel_help_and_a_question_mid_dialog(capture, sessionmaker):
    await capture.register("Nora", serial=6)
    chat = capture.chat()
    await chat.text("logga kontakt Nora")
    help_text = await chat.text("hjälp")
    assert "inte ett datum framåt" in help_text and "Vilken dag" in help_text
    aside = await chat.say("visa Nora")
    assert any(reply.card and "Nora Testsson" in str(reply.card) for reply in aside)
    assert "Vilken dag" in aside[-1].text and chat.active == "kontakt"
    busy = await chat.text("ny insats")
    assert "Logga kontakt" in busy and "avbryt" in busy and "Vilken dag" in busy
    await chat.text("idag")
    assert "avbröt" in await chat.text("avbryt")
    assert chat.active is None
    assert await count(sessionmaker, ContactEvent) == 0
    assert "inte på med något" in await chat.text("avbryt")


async def test_other_municipality_and_closed_cases_are_not_found(capture):
    await capture.register("Tilda", serial=7, actor=capture.other)
    chat = capture.chat()
    await chat.text("kontakt")
    assert "hittar ingen" in await chat.text("Tilda Testsson")
    other_case = await capture.register("Alva", serial=8, actor=capture.other)
    assert f"inget ärende med nummer {other_case}" in await chat.text(str(other_case))


async def test_several_matches_are_offered_as_buttons(capture):
    await capture.register("Elin", "Andersson", serial=9)
    await capture.register("Elin", "Karlsson", serial=10)
    chat = capture.chat()
    await chat.say("kontakt Elin")
    assert "flera" in chat.replies[0].text
    choices = chat.replies[-1].suggestions
    assert len(choices) == 2 and all("Elin" in choice for choice in choices)
    await chat.say(choices[1])
    assert chat.data["case_label"] == choices[1]
    assert "case_choices" not in chat.data


async def test_recent_cases_are_offered_first(capture):
    case_id = await capture.register("Leah", serial=11)
    chat = capture.chat()
    await chat.say("kontakt")
    assert any(f"ärende {case_id}" in choice for choice in chat.replies[-1].suggestions)
