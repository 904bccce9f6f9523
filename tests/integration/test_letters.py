"""Letters for an intake on both databases: addressing, recording once, municipality scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from scheduler.planning import plan_day
from scheduler.rules import Kind
from storage.cases import CaseError, HomeVisitInput, NotAllowed, NotFound
from storage.letters.selection import Selection
from storage.letters.writing import LetterWriter
from storage.models import AuditEntry, ContactEvent, HomeVisit
from tests.integration.letter_world import TODAY, letter_world
from tests.pdf_text import pdf_pages, pdf_text


@pytest.fixture
async def world(sessionmaker):
    return await letter_world(sessionmaker)


async def _contacts(sessionmaker, case_id: int) -> list[ContactEvent]:
    async with sessionmaker() as session:
        return list(
            await session.scalars(select(ContactEvent).where(ContactEvent.case_id == case_id))
        )


async def test_contact_letters_for_every_new_case(world, sessionmaker):
    batch = await LetterWriter(world.cases).write(
        world.anna, "kontaktbrev", Selection(all_new=True), TODAY
    )
    assert set(batch.case_ids) == {world.minor, world.protected, world.homeless}
    pages = pdf_pages(batch.pdf)
    text = "\n".join(pages)
    # A cover sheet, then one page or more per letter: Elin, her guardian Karin, Sara.
    assert len(batch.letters) == 3
    assert len(pages) >= 4
    assert "Utskrift: Kontaktbrev" in pages[0]
    letters = pages[1:]
    assert any("Hej Elin!" in page and "aktivitetsansvaret" in page for page in letters)
    guardian = next(page for page in letters if "Till vårdnadshavare för Elin Ekström" in page)
    assert "Karin Ekström" in guardian and "Storgatan 1" in guardian and "582 22" in guardian
    sara = next(page for page in letters if "Hej Sara!" in page)
    assert "Via Skatteverkets vidarebefordran" in sara
    assert "Hemliggatan" not in text and "583 33" not in text
    # Nobody gets a blank letter: Olle and the guardian without address are listed.
    missing = pages[0].split("Adress saknas")[1]
    assert "Olle Utanadress" in missing and "Per Ekström" in missing
    assert not any("Hej Olle!" in page for page in letters)
    assert "Nils" not in text  # already contacted: not new
    assert "Kim Kontakt" in text and "013-20 60 00" in text and "Linköpings kommun" in text


async def test_letters_are_recorded_once_and_answer_the_first_contact_reminder(world, sessionmaker):
    writer = LetterWriter(world.cases)
    first = await writer.write(world.anna, "kontaktbrev", Selection(all_new=True), TODAY)
    assert first.recorded == 3
    again = await writer.write(world.anna, "kontaktbrev", Selection(all_new=True), TODAY)
    assert again.recorded == 0
    assert set(again.case_ids) == set(first.case_ids)  # the same intake prints again
    assert pdf_text(again.pdf).count("Hej Elin!") == 1

    minor = await _contacts(sessionmaker, world.minor)
    assert sorted(event.counterpart for event in minor) == ["ungdomen", "vardnadshavare"]
    assert {(event.channel, event.occurred_on, event.outcome) for event in minor} == {
        ("brev", TODAY, "ej_nadd")
    }
    assert len(await _contacts(sessionmaker, world.protected)) == 1
    assert await _contacts(sessionmaker, world.homeless) == []

    plan = await plan_day(sessionmaker, TODAY + timedelta(days=7), [world.anna.municipality_id])
    first_contact = {
        a.reminder.case_id for a in plan.assignments() if a.reminder.kind is Kind.FIRST_CONTACT
    }
    assert first_contact == {world.homeless}

    async with sessionmaker() as session:
        actions = list(
            await session.scalars(
                select(AuditEntry.action).where(AuditEntry.case_id == world.minor)
            )
        )
    assert actions.count("letter.write") == 2
    assert actions.count("contact.log") == 2


async def test_a_second_kind_of_letter_the_same_day_finds_the_same_intake(world):
    writer = LetterWriter(world.cases)
    await writer.write(world.anna, "kontaktbrev", Selection(all_new=True), TODAY)
    info = await writer.write(world.anna, "information", Selection(all_new=True), TODAY)
    assert set(info.case_ids) == {world.minor, world.protected, world.homeless}
    assert info.recorded == 0
    tomorrow = await writer.write(
        world.anna, "information", Selection(all_new=True), TODAY + timedelta(days=1)
    )
    assert set(tomorrow.case_ids) == {world.homeless}


async def test_letters_stay_within_the_municipality(world):
    writer = LetterWriter(world.cases)
    with pytest.raises(NotFound):
        await writer.write(world.anna, "kontaktbrev", Selection(case_id=world.other), TODAY)
    with pytest.raises(NotFound):
        await writer.write(
            world.anna, "kontaktbrev", Selection(personnummer=world.other_personnummer), TODAY
        )
    theirs = await writer.write(world.bert, "kontaktbrev", Selection(all_new=True), TODAY)
    assert theirs.case_ids == (world.other,)
    assert "Elin" not in pdf_text(theirs.pdf)
    with pytest.raises(NotAllowed):
        await writer.write(world.chef, "kontaktbrev", Selection(all_new=True), TODAY)


async def test_one_youth_by_personnummer_gets_a_single_letter_without_cover(world, sessionmaker):
    batch = await LetterWriter(world.cases).write(
        world.anna, "samtycke", Selection(personnummer=world.minor_personnummer), TODAY
    )
    pages = pdf_pages(batch.pdf)
    assert len(pages) == 1  # samtycke goes to the youth only, and needs no cover sheet
    assert "Samtycke" in pages[0] and "Elin Ekström" in pages[0]
    assert world.minor_personnummer[:8] in pages[0]
    assert await _contacts(sessionmaker, world.minor) == []


async def test_home_visit_letter_names_day_time_and_both_visitors(world, sessionmaker):
    staff = await world.cases.municipality_staff(world.anna)
    colleague = next(member for member in staff if member.name == "Chef Chefsson")
    await world.cases.plan_home_visit(
        world.anna,
        world.minor,
        HomeVisitInput(date(2026, 3, 24), world.anna.staff_id, colleague.id),
        today=TODAY,
    )
    writer = LetterWriter(world.cases)
    with pytest.raises(CaseError, match="tid"):
        await writer.write(world.anna, "hembesok", Selection(case_id=world.minor), TODAY)
    batch = await writer.write(
        world.anna, "hembesok", Selection(case_id=world.minor), TODAY, time_window="14-16"
    )
    text = pdf_text(batch.pdf)
    assert "tisdag 24 mars, kl. 14.00–16.00" in text
    assert "Anna Andersson och Chef Chefsson" in text
    assert "Till vårdnadshavare för Elin Ekström" in text
    async with sessionmaker() as session:
        visit = await session.scalar(select(HomeVisit).where(HomeVisit.case_id == world.minor))
    assert visit.notice_sent_on == TODAY
    with pytest.raises(CaseError, match="planerat hembesök"):
        await writer.write(
            world.anna, "hembesok", Selection(case_id=world.protected), TODAY, time_window="9-11"
        )


async def test_bad_requests_are_refused_in_swedish(world):
    writer = LetterWriter(world.cases)
    with pytest.raises(CaseError, match="Okänt slags brev"):
        await writer.write(world.anna, "vykort", Selection(all_new=True), TODAY)
    with pytest.raises(CaseError, match="en ungdom i taget"):
        await writer.write(world.anna, "paminnelsebrev", Selection(all_new=True), TODAY)
    with pytest.raises(CaseError, match="Personnumret"):
        await writer.write(world.anna, "kontaktbrev", Selection(personnummer="123"), TODAY)
    with pytest.raises(CaseError, match="ett av dem"):
        Selection(case_id=1, all_new=True)
