"""A report in one line, in the chat: the ordinary flow prefilled, only what is missing asked,
and nothing saved without `ja`; on both databases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import AuditEntry, ContactEvent, HomeVisit, Measure, Occupation
from tests.integration.capture import count, rows


async def _audited(sessionmaker, case_id: int) -> list[str]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case_id))
        )


async def test_one_sentence_and_ja_save_exactly_the_contact(capture, sessionmaker):
    case_id = await capture.register("Elin", "Karlsson", serial=1)
    chat = capture.chat()

    summary = await chat.text("träffade Elin på kontoret igår, hon vill börja på komvux")
    assert chat.active == "kontakt"
    assert "Stämmer det här?" in summary
    for line in (
        "Ungdom: Elin Karlsson",
        "Datum: 2026-03-17",
        "Kanal: möte",
        "Med: ungdomen",
        "Utfall: nådd",
        "Anteckning: Hon vill börja på komvux",
    ):
        assert line in summary
    assert await count(sessionmaker, ContactEvent) == 0
    assert "Klart!" in await chat.text("ja")
    assert chat.active is None

    [contact] = await rows(sessionmaker, ContactEvent)
    assert (contact.case_id, contact.occurred_on, contact.channel) == (
        case_id,
        date(2026, 3, 17),
        "mote",
    )
    assert (contact.counterpart, contact.outcome) == ("ungdomen", "nadd")
    assert contact.note == "Hon vill börja på komvux"
    assert contact.staff_id == capture.anna.staff_id
    assert await count(sessionmaker, Occupation) == 0
    assert {"case.open", "contact.log"} <= set(await _audited(sessionmaker, case_id))


async def test_a_guardian_by_phone_without_an_answer(capture, sessionmaker):
    case_id = await capture.register("Sara", "Lind", serial=2)
    chat = capture.chat()
    summary = await chat.text("ringde Saras mamma i måndags men fick inget svar")
    assert "Med: vårdnadshavare" in summary and "Utfall: ej nådd" in summary
    await chat.text("ja")
    [contact] = await rows(sessionmaker, ContactEvent)
    assert (contact.case_id, contact.occurred_on) == (case_id, date(2026, 3, 16))
    assert (contact.channel, contact.counterpart, contact.outcome, contact.note) == (
        "telefon",
        "vardnadshavare",
        "ej_nadd",
        None,
    )


async def test_only_what_is_missing_is_asked(capture, sessionmaker):
    await capture.register("Omar", "Hassan", serial=3)
    chat = capture.chat()
    question = await chat.text("sms:ade Omar igår, han har börjat jobba")
    assert "Logga kontakt" in question and "Hur gick det?" in question
    summary = await chat.text("ej nådd")
    assert "Sysselsättning: arbete" in summary and "Stämmer det här?" in summary
    assert await count(sessionmaker, ContactEvent) == 0
    await chat.text("ja")
    [contact] = await rows(sessionmaker, ContactEvent)
    assert (contact.channel, contact.outcome, contact.occurred_on) == (
        "sms",
        "ej_nadd",
        date(2026, 3, 17),
    )
    [occupation] = await rows(sessionmaker, Occupation)
    assert (occupation.kind, occupation.valid_from) == ("arbete", date(2026, 3, 17))


async def test_a_quick_question_of_the_same_shape_is_answered_as_a_question(capture, sessionmaker):
    await capture.register("Mina", "Berg", serial=4)
    chat = capture.chat()
    not_reached = await chat.text("vilka har jag inte fått tag på?")
    assert chat.active is None and "Mina Berg" in not_reached
    mine = await chat.text("mina ärenden")
    assert chat.active is None and "Dina ärenden (1)" in mine
    await chat.say("visa Mina")
    assert chat.active is None
    assert any(reply.card and "Mina Berg" in str(reply.card) for reply in chat.replies)
    # A command with only the youth after it stays the command.
    assert "Vilken dag var kontakten?" in await chat.text("logga kontakt Mina")
    assert "Kanal" not in str(chat.data) and "channel" not in chat.data
    assert await count(sessionmaker, ContactEvent) == 0


async def test_several_youths_that_fit_are_offered_as_buttons(capture, sessionmaker):
    first = await capture.register("Elin", "Karlsson", serial=5)
    second = await capture.register("Elin", "Berg", serial=6)
    chat = capture.chat()
    answer = await chat.say("ringde Elin igår, inget svar")
    assert "flera som passar" in answer[-1].text
    assert set(answer[-1].suggestions) == {
        f"Elin Karlsson (ärende {first})",
        f"Elin Berg (ärende {second})",
    }
    summary = await chat.text(f"Elin Berg (ärende {second})")
    assert "Stämmer det här?" in summary and "Utfall: ej nådd" in summary
    await chat.text("ja")
    [contact] = await rows(sessionmaker, ContactEvent)
    assert (contact.case_id, contact.occurred_on, contact.outcome) == (
        second,
        date(2026, 3, 17),
        "ej_nadd",
    )
    # Both were shown as buttons, so both reads are audited.
    assert "case.search" in await _audited(sessionmaker, first)


async def test_the_coordinators_own_case_comes_first(capture, sessionmaker):
    await capture.register("Elin", "Berg", serial=7, actor=capture.bert)
    mine = await capture.register("Elin", "Karlsson", serial=8)
    other = await capture.register("Saga", "Svensson", serial=9)
    chat = capture.chat()
    assert "Ungdom: Elin Karlsson" in await chat.text("ringde Elin idag, hon svarade")
    await chat.text("ja")
    [contact] = await rows(sessionmaker, ContactEvent)
    assert contact.case_id == mine
    # The names were compared, not shown: no audit entry for a youth the sentence did not name.
    assert await _audited(sessionmaker, other) == ["case.register"]


async def test_an_unsure_sentence_becomes_a_question(capture, sessionmaker):
    case_id = await capture.register("Elin", "Karlsson", serial=10)
    chat = capture.chat()
    question = await chat.say("ringde Elim igår, inget svar")
    assert question[-1].text == f"Vill du logga en kontakt med Elin Karlsson (ärende {case_id})?"
    assert question[-1].suggestions == ("ja", "nej")
    assert "Okej, då sparar jag inget." in await chat.text("nej")
    assert chat.active is None

    await chat.say("Elin svarade inte")
    assert chat.replies[-1].text.startswith("Vill du logga en kontakt med Elin Karlsson")
    assert "Svara **ja** eller **nej**" in await chat.text("kanske")
    assert "Hur tog du kontakt?" in await chat.text("ja")
    assert "Stämmer det här?" in await chat.text("sms")
    assert await count(sessionmaker, ContactEvent) == 0
    await chat.text("ja")
    [contact] = await rows(sessionmaker, ContactEvent)
    assert (contact.channel, contact.counterpart, contact.outcome) == ("sms", "ungdomen", "ej_nadd")


async def test_nothing_is_saved_without_ja(capture, sessionmaker):
    await capture.register("Leo", "Nilsson", serial=11)
    chat = capture.chat()
    assert "Stämmer det här?" in await chat.text("ringde Leo idag, nådd")
    assert "ja" in await chat.text("vet inte")
    assert chat.active == "kontakt"
    assert "avbröt" in await chat.text("avbryt")
    assert await count(sessionmaker, ContactEvent) == 0


async def test_a_sensitive_note_is_warned_about(capture, sessionmaker):
    await capture.register("Nora", "Ali", serial=12)
    chat = capture.chat()
    warning = await chat.text("ringde Nora idag, nådd, hon har ångest inför skolan")
    assert "känsliga uppgifter" in warning and "”ångest”" in warning
    assert "Vill du skriva en kort anteckning?" in warning
    assert "Stämmer det här?" in await chat.text("spara ändå")
    await chat.text("ja")
    [contact] = await rows(sessionmaker, ContactEvent)
    assert contact.note == "Hon har ångest inför skolan"


async def test_a_home_visit_planned_in_one_line(capture, sessionmaker):
    await capture.register("Leo", "Nilsson", serial=13)
    chat = capture.chat()
    answer = await chat.text("hembesök hos Leo på fredag kl 14 med Bert")
    assert chat.active == "hembesok"
    assert "Klockslaget (kl 14) sparar jag inte" in answer
    assert "När skickades aviseringen" in answer
    summary = await chat.text("-")
    assert "Planerat datum: 2026-03-20" in summary and "Följeslagare: Bert Berg" in summary
    await chat.text("ja")
    [visit] = await rows(sessionmaker, HomeVisit)
    assert (visit.planned_on, visit.second_staff_id, visit.notice_sent_on) == (
        date(2026, 3, 20),
        capture.bert.staff_id,
        None,
    )


async def test_an_occupation_and_a_declined_measure_in_one_line(capture, sessionmaker):
    case_id = await capture.register("Omar", "Hassan", serial=14)
    chat = capture.chat()
    summary = await chat.text("Omar har börjat på komvux, 50 %")
    assert chat.active == "sysselsattning" and "Omfattning: deltid 50 %" in summary
    await chat.text("ja")
    [occupation] = await rows(sessionmaker, Occupation)
    assert (occupation.case_id, occupation.kind, occupation.extent_percent) == (
        case_id,
        "studier_komvux",
        50,
    )

    summary = await chat.text("erbjöd Omar praktik men han tackade nej")
    assert chat.active == "insats" and "Svar: ungdomen tackade nej" in summary
    await chat.text("ja")
    [measure] = await rows(sessionmaker, Measure)
    assert (measure.measure_type, measure.declined, measure.starts_on) == (
        "praktik",
        True,
        date(2026, 3, 18),
    )


async def test_a_youth_of_another_municipality_is_never_named(capture, sessionmaker):
    await capture.register("Bodil", "Borta", serial=15, actor=capture.other)
    chat = capture.chat()
    answer = await chat.text("ringde Bodil igår, inget svar")
    assert "hittar ingen ungdom som heter ”Bodil”" in answer
    assert "Vilken ungdom gäller det?" in answer
    assert "Bodil" not in str(chat.data)
