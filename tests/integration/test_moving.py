"""Moving away on both databases: the new municipality, the handover only with consent, the
transfer to a municipality on the same installation, audited on both sides."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from dialogs.context import FlowContext
from storage.case_queries import CaseQueries
from storage.cases import CaseError, Closing, ContactInput, NotFound
from storage.letters.handover import moving_document
from storage.models import AuditEntry, KaaCase, Youth
from storage.moving import Moving
from tests.integration.capture import Chat
from tests.integration.letter_world import TODAY, letter_world
from tests.pdf_text import pdf_text

MOVED_ON = date(2026, 3, 17)


@pytest.fixture
async def world(sessionmaker):
    return await letter_world(sessionmaker)


async def _close(world, case_id: int, moving: Moving | None, reason: str = "flyttat"):
    case = await CaseQueries(world.cases.sessionmaker).view(world.anna, case_id)
    return await world.cases.close_case(
        world.anna, case_id, Closing(TODAY, reason, moving=moving), case.version, today=TODAY
    )


async def test_handover_with_consent_names_what_the_new_municipality_needs(world):
    await world.cases.log_contact(
        world.anna,
        world.minor,
        ContactInput(date(2026, 3, 17), "telefon", "ungdomen", "nadd"),
        today=TODAY,
    )
    assert await _close(world, world.minor, Moving("0680", MOVED_ON, consent_on=TODAY)) is None
    case = await CaseQueries(world.cases.sessionmaker).view(world.anna, world.minor)
    assert (case.status, case.moved_to, case.moved_on) == ("closed", "0680", MOVED_ON)
    document = await moving_document(world.cases, world.anna, world.minor, TODAY)
    assert document.with_personal_data
    text = pdf_text(document.pdf)
    assert "Överlämning" in text and "Till: Jönköpings kommun" in text
    assert "Elin Ekström" in text and world.minor_personnummer[:8] in text
    assert "Storgatan 1" in text and "Karin Ekström" in text
    assert "etablerad, senast 2026-03-17" in text
    assert "Överlämning till Jönköping (0680) vid flytt" in text


async def test_without_consent_only_a_notice_without_personal_details(world):
    await _close(world, world.protected, Moving("0680", MOVED_ON))
    document = await moving_document(world.cases, world.anna, world.protected, TODAY)
    assert not document.with_personal_data
    text = pdf_text(document.pdf)
    assert "Meddelande om flytt" in text and "Jönköpings kommun" in text
    assert "inga personuppgifter" in text
    for personal in ("Sara", "Skydd", "Hemliggatan", "20061102"):
        assert personal not in text


async def test_transfer_needs_consent_and_an_installed_municipality(world, sessionmaker):
    with pytest.raises(CaseError, match="samtyckt"):
        await _close(world, world.minor, Moving("0682", MOVED_ON, transfer=True))
    with pytest.raises(CaseError, match="använder inte KAA-assistenten"):
        await _close(world, world.minor, Moving("0680", MOVED_ON, TODAY, transfer=True))
    with pytest.raises(CaseError, match="egen kommun"):
        await _close(world, world.minor, Moving("0580", MOVED_ON))
    with pytest.raises(CaseError, match="ingen kommunkod"):
        await _close(world, world.minor, Moving("9999", MOVED_ON))
    with pytest.raises(CaseError, match="bara när orsaken"):
        await _close(world, world.minor, Moving("0680", MOVED_ON), reason="borjat_nationellt")
    # Every refusal left the case as it was.
    case = await CaseQueries(world.cases.sessionmaker).view(world.anna, world.minor)
    assert case.status == "active"

    new_id = await _close(world, world.minor, Moving("0682", MOVED_ON, TODAY, transfer=True))
    new_case = await CaseQueries(world.cases.sessionmaker).view(world.bert, new_id)
    assert (new_case.registration_reason, new_case.source, new_case.registered_on) == (
        "inflyttad",
        "inflyttad",
        MOVED_ON,
    )
    assert new_case.first_name == "Elin" and new_case.address is None
    assert [g.name for g in new_case.guardians] == ["Karin Ekström", "Per Ekström"]
    with pytest.raises(NotFound):
        await CaseQueries(world.cases.sessionmaker).view(world.anna, new_id)
    async with sessionmaker() as session:
        entries = {
            (entry.action, entry.municipality_id, entry.case_id)
            for entry in await session.scalars(
                select(AuditEntry).where(AuditEntry.action.like("case.transfer%"))
            )
        }
        youths = await session.scalar(
            select(Youth).join(KaaCase, KaaCase.youth_id == Youth.id).where(KaaCase.id == new_id)
        )
        assert youths.municipality_id == world.bert.municipality_id
        old = await session.get(KaaCase, world.minor)
    assert entries == {
        ("case.transfer_out", world.anna.municipality_id, world.minor),
        ("case.transfer_in", world.bert.municipality_id, new_id),
    }
    assert (old.status, old.deregistration_reason, old.moved_to) == ("closed", "flyttat", "0682")


async def test_moving_away_in_the_chat_with_consent_and_transfer(world, sessionmaker):
    chat = Chat(FlowContext(world.cases, world.anna), today=TODAY)
    await chat.say("avsluta ärende Elin")
    await chat.say("idag")
    assert "Vilken kommun" in await chat.text("flyttat")
    assert "Upplands Väsby (0114) eller Upplands-Bro (0139)" in await chat.text("Upplands")
    assert "egen kommun" in await chat.text("Linköping")
    assert "Vilket datum" in await chat.text("nässjö")
    assert "samtyckt" in await chat.text("2026-03-17")
    assert "flytta över ärendet" in await chat.text("ja")
    summary = await chat.text("ja")
    assert "Ny kommun: Nässjö (0682), flyttade 2026-03-17" in summary
    replies = await chat.say("ja")
    assert "är avslutat" in replies[0].text
    assert "Ärendet finns nu i Nässjö" in replies[1].text
    assert "Överlämning" in pdf_text(replies[1].file.data)


async def test_moving_abroad_in_the_chat_needs_no_municipality(world):
    chat = Chat(FlowContext(world.cases, world.anna), today=TODAY)
    await chat.say("avsluta ärende Olle")
    await chat.say("idag")
    await chat.say("flyttat")
    assert "utomlands eller okänd" in await chat.text("utomlands")
    replies = await chat.say("ja")
    assert len(replies) == 1 and replies[0].file is None
    case = await CaseQueries(world.cases.sessionmaker).view(world.anna, world.homeless)
    assert (case.status, case.moved_to) == ("closed", None)


async def test_a_missing_contact_setting_does_not_hide_the_closing(capture):
    await capture.register("Oscar", serial=93)
    chat = capture.chat()
    await chat.say("avsluta ärende Oscar")
    await chat.say("idag")
    await chat.say("flyttat")
    await chat.say("Jönköping")
    await chat.say("idag")
    await chat.say("nej")
    replies = await chat.say("ja")
    assert "är avslutat" in replies[0].text
    assert "kunde inte skrivas" in replies[1].text
    assert "kaa-bot municipality contact" in replies[1].text
