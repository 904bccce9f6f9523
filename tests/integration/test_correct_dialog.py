"""Putting things right in the chat, on both databases: at a summary before saving (`nej`,
`ändra datum till 8/1`), after saving (`ändra Elin`, the case card's *Ändra*, `ta bort`), a
judgement asked about, and a quick question never taken for an answer."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from dialogs import texts
from storage.cases import ContactInput, MeasureInput
from storage.demo import fictitious_personnummer
from storage.models import ContactEvent, Guardian, KaaCase, Measure, MeasureRevision, RemovedEntry
from tests.integration.capture import TODAY, count, rows


def _card_text(card: dict) -> str:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return "\n".join(found)


async def _contact(capture, case_id: int, day: date, outcome: str = "nadd") -> int:
    return await capture.cases.log_contact(
        capture.anna, case_id, ContactInput(day, "telefon", "ungdomen", outcome), today=TODAY
    )


async def test_andra_names_what_can_be_changed_and_the_case_view_shows_the_change(capture):
    case_id = await capture.register("Elin", "Andersson", serial=1, phone="070-111 22 33")
    await _contact(capture, case_id, date(2026, 3, 2))
    chat = capture.chat()
    offer = await chat.text("ändra Elin")
    for what in ("telefon", "e-post", "adress", "vårdnadshavare", "skyddade personuppgifter",
                 "skola", "kontakt"):  # fmt: skip
        assert what in offer, what
    assert "070-111 22 33" in await chat.text("telefon")
    summary = await chat.text("070-555 66 77")
    assert "telefon 070-111 22 33 → 070-555 66 77" in summary
    assert "Klart!" in await chat.text("ja")
    replies = await chat.say("visa Elin")
    assert "070-555 66 77" in _card_text(replies[-1].card)


async def test_the_case_card_s_change_button_has_its_own_submission(capture):
    case_id = await capture.register("Maja", serial=2)
    chat = capture.chat()
    card = (await chat.say(f"visa {case_id}"))[-1].card
    (change,) = [a for a in card["actions"] if a["title"] == "Ändra"]
    others = [a["data"].get("submission") for a in card["actions"] if a is not change]
    assert change["data"]["flow"] == "andra" and change["data"]["case_id"] == case_id
    assert change["data"]["submission"] and change["data"]["submission"] not in others
    assert "Vad vill du ändra för Maja Testsson?" in await chat.text(value=change["data"])


async def test_ta_bort_removes_a_duplicate_contact_with_a_reason(capture, sessionmaker):
    case_id = await capture.register("Omar", serial=3)
    first = await _contact(capture, case_id, date(2026, 3, 2))
    second = await _contact(capture, case_id, date(2026, 3, 2))
    chat = capture.chat()
    offer = await chat.text("ta bort Omar")
    assert "kontakt" in offer and "telefon" not in offer
    assert "Vilken kontakt?" in await chat.text("kontakt")
    # Newest first: the second one listed is the first one logged.
    assert "Varför" in await chat.text("2")
    summary = await chat.text("Dubblett")
    assert "Ta bort kontakt 2026-03-02" in summary and "Dubblett" in summary
    assert "borttagen" in await chat.text("ja")
    (kept,) = await rows(sessionmaker, ContactEvent)
    assert kept.id == second
    (removed,) = await rows(sessionmaker, RemovedEntry)
    assert (removed.record, removed.record_id, removed.reason) == ("contact", first, "Dubblett")


async def test_a_guardian_is_added_and_a_contact_date_asks_before_the_registration(
    capture, sessionmaker
):
    case_id = await capture.register("Nora", serial=4)
    await _contact(capture, case_id, date(2026, 3, 2))
    chat = capture.chat()
    await chat.say("ändra Nora")
    assert "Vårdnadshavarens namn" in await chat.text("vårdnadshavare")
    await chat.say("Anna Berg")
    await chat.say("070-999 88 77")
    summary = await chat.text("anna@example.se")
    assert "Anna Berg, 070-999 88 77, anna@example.se" in summary
    assert "tillagd" in await chat.text("ja")
    (guardian,) = await rows(sessionmaker, Guardian)
    assert (guardian.name, guardian.email) == ("Anna Berg", "anna@example.se")

    await chat.say("ändra Nora")
    await chat.say("kontakt")
    assert "Vad ska datum vara? (nu: 2026-03-02)" in await chat.text("datum")
    await chat.say("5/1")
    asked = await chat.text("ja")
    assert (
        "före registreringen" in asked
        and await count(sessionmaker, ContactEvent, occurred_on=date(2026, 1, 5)) == 0
    )
    assert "Klart!" in await chat.text("ja")
    assert await count(sessionmaker, ContactEvent, occurred_on=date(2026, 1, 5)) == 1


async def test_a_measure_is_extended_and_one_that_has_not_started_is_cancelled(
    capture, sessionmaker
):
    case_id = await capture.register("Leo", serial=5)
    started = await capture.cases.add_measure(
        capture.anna,
        case_id,
        MeasureInput("praktik", starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 1)),
        today=TODAY,
    )
    chat = capture.chat()
    await chat.say("ändra Leo")
    await chat.say("insats")
    fields = await chat.text("")  # nothing typed: the question comes again
    assert "planerat slut" in fields and "avbryt insatsen" not in fields
    await chat.say("planerat slut")
    assert "2026-06-01" in await chat.text("2026-06-01")
    assert "ändrat" in await chat.text("ja")
    revisions = await rows(sessionmaker, MeasureRevision)
    assert [r.snapshot["ends_on"] for r in revisions] == ["2026-04-01", "2026-06-01"]

    later = await capture.cases.add_measure(
        capture.anna,
        case_id,
        MeasureInput("syv", starts_on=TODAY + timedelta(days=10)),
        today=TODAY,
    )
    await chat.say("avsluta insats Leo")
    asked = await chat.text("2")
    assert "inte börjat än" in asked and "avbryts" in asked
    summary = await chat.text("Platsen drogs in")
    assert "avbryts idag" in summary
    assert "avbruten" in await chat.text("ja")
    async with capture.cases.sessionmaker() as session:
        cancelled = await session.get(Measure, later)
        open_one = await session.get(Measure, started)
    assert cancelled.cancelled and open_one.ended_on is None


async def test_at_the_summary_nej_lists_the_fields_and_one_changes_without_the_rest(
    capture, sessionmaker
):
    case_id = await capture.register("Wilma", serial=6)
    chat = capture.chat()
    await chat.say(f"logga kontakt {case_id}")
    for answer in ("igår", "telefon", "ungdomen", "nådd", "-"):
        await chat.say(answer)
    assert "Stämmer det här?" in await chat.text("Bokade ett möte")
    menu = await chat.say("nej")
    assert "Vad vill du ändra?" in menu[0].text
    assert "1. Datum\n2. Kanal\n3. Med vem\n4. Utfall" in menu[0].text
    assert menu[-1].card is not None  # the card comes filled in beside the list
    assert "Hur tog du kontakt?" in await chat.text("2")
    summary = await chat.text("sms")
    assert "Kanal: sms" in summary and "Anteckning: Bokade ett möte" in summary
    summary = await chat.text("ändra datum till 16/3")
    assert "Datum: 2026-03-16" in summary and "Kanal: sms" in summary
    assert "Klart!" in await chat.text("ja")
    (contact,) = await rows(sessionmaker, ContactEvent)
    assert (contact.occurred_on, contact.channel, contact.outcome, contact.note) == (
        date(2026, 3, 16), "sms", "nadd", "Bokade ett möte",
    )  # fmt: skip


async def test_changing_the_reason_drops_the_explanation_it_no_longer_needs(capture, sessionmaker):
    case_id = await capture.register("Hugo", serial=7)
    chat = capture.chat()
    await chat.say(f"avsluta ärende {case_id}")
    await chat.say("idag")
    await chat.say("annan")
    summary = await chat.text("Flyttar utomlands")
    assert "Förklaring: Flyttar utomlands" in summary
    # The new reason drops the explanation and asks what it needs: where the youth moved.
    asked = await chat.text("ändra orsak till inte längre folkbokförd i kommunen")
    assert "Vilken kommun har ungdomen flyttat till?" in asked
    summary = await chat.text("utomlands")
    assert "Förklaring" not in summary and "folkbokförd" in summary
    assert "avslutat" in await chat.text("ja")
    async with sessionmaker() as session:
        case = await session.get(KaaCase, case_id)
    assert (case.deregistration_reason, case.deregistration_note) == ("flyttat", None)


async def test_a_quick_question_at_a_choice_is_answered_beside_it_and_never_saved(capture):
    case_id = await capture.register("Saga", serial=8)
    chat = capture.chat()
    await chat.say(f"avsluta ärende {case_id}")
    await chat.say("idag")
    replies = await chat.say("vilka fyller 20 snart?")
    assert texts.BACK_TO.format(title="Avsluta ärende") in [r.text for r in replies]
    assert "Vad är orsaken till avregistreringen?" in replies[-1].text
    assert "reason" not in chat.data
    # A failing answer that is also a question shows the answer's error.
    later = await capture.cases.add_measure(
        capture.anna, case_id, MeasureInput("syv", starts_on=TODAY + timedelta(days=3)), today=TODAY
    )
    other = capture.chat()
    await other.say(f"utvärdera insats {case_id}")
    answer = await other.text("idag")
    assert (
        "före insatsens start" in answer
        and texts.BACK_TO.format(title="Utvärdera insats") not in answer
    )
    assert later


async def test_a_card_asks_about_a_contact_before_the_registration(capture, sessionmaker):
    case_id = await capture.register("Ella", serial=9)
    chat = capture.chat()
    await chat.say(value={"flow": "kontakt", "case_id": case_id})
    values = {
        **chat.submit_data(),
        "occurred_on": "2026-01-02",
        "channel": "telefon",
        "counterpart": "skola",
        "outcome": "nadd",
        "note": "",
    }
    assert "före registreringen" in await chat.text(value=values)
    assert await count(sessionmaker, ContactEvent) == 0
    assert "Klart!" in await chat.text("ja")
    assert await count(sessionmaker, ContactEvent, occurred_on=date(2026, 1, 2)) == 1


async def test_a_long_city_gets_a_swedish_message_by_text_and_by_card(capture, sessionmaker):
    chat = capture.chat()
    await chat.say("registrera")
    card_values = {
        "flow": "registrera",
        "form": True,
        "confirm": "ja",
        "personnummer": "20080517-0005",
        "first_name": "Alva",
        "last_name": "Lång",
        "registered_on": TODAY.isoformat(),
        "reason": "inflyttad",
        "source": "inflyttad",
        "address": "Storgatan 1",
        "postal_code": "58222",
        "city": "Å" * 150,
    }
    answer = await chat.text(value=card_values | {"personnummer": _pnr(11)})
    assert "Fältet ort är för långt (högst 100 tecken)" in answer
    assert "Ort?" in chat.replies[-1].text
    assert "registrerad i ärende" in await chat.text("Linköping")
    typed = capture.chat()
    await typed.say("registrera")
    for answer in (_pnr(12), "Ebba", "Lång", "idag", "inflyttad", "inflyttad", "nej", "-", "-"):
        await typed.say(answer)
    await typed.say("Storgatan 1")
    await typed.say("582 22")
    refused = await typed.text("Ö" * 150)
    assert "Fältet ort är för långt" in refused and "något gick fel" not in refused
    async with sessionmaker() as session:
        cities = list(await session.scalars(select(KaaCase.id)))
    assert len(cities) == 1


def _pnr(serial: int) -> str:
    """An adult's number: no guardian is asked for."""
    return fictitious_personnummer(date(2007, 5, 17), serial, "kvinna")


async def test_closing_as_fyllt_20_before_the_birthday_is_refused_in_the_chat(capture):
    case_id = await capture.register("Adam", serial=10)
    chat = capture.chat()
    await chat.say(f"avsluta ärende {case_id}")
    await chat.say("idag")
    assert "Stämmer det här?" in await chat.text("fyllt 20")
    refused = await chat.text("ja")
    assert "fyller 20 år först 2028-05-17" in refused and "Stämmer det här?" in refused
    summary = await chat.text("ändra orsak till påbörjat nationellt program eller motsvarande")
    assert "påbörjat nationellt program" in summary
    assert "avslutat" in await chat.text("ja")
