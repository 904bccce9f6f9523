"""Whole days of the reminder job: an SCB deadline day end to end, and two municipalities
with a team channel each."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.reminders import render
from dialogs.context import FlowContext
from dialogs.engine import Turn
from dialogs.intents import recognise
from dialogs.queries import answer
from scheduler.daily import DailyJob
from scheduler.messages import Message, PersonalDigest, SendOutcome, TeamNotice
from storage.audit import Actor
from storage.cases import CaseService, GuardianInput, RegistrationInput
from storage.demo import fictitious_personnummer
from storage.reports.scb import scb_file
from storage.scb.calendar import ScbCalendar
from tests.integration.reminder_setup import remember_channel, remember_chat, seed
from tests.integration.report_fixture import SYSTEM, build

SCB_EVE = date(2026, 9, 11)  # the working day before 2026H1's deadline, Monday 14 September


class Inbox:
    def __init__(self) -> None:
        self.messages: dict[str, list[Message]] = {}

    async def __call__(self, ref: dict[str, Any], message: Message) -> SendOutcome:
        self.messages.setdefault(ref["conversation"]["id"], []).append(message)
        return SendOutcome.SENT


def _items(message: Message) -> list[Any]:
    assert isinstance(message, PersonalDigest)
    digest = message.digest
    return [*digest.overdue, *digest.today, *digest.this_week]


async def test_an_scb_deadline_day_end_to_end(sessionmaker):
    cases = CaseService(sessionmaker)
    fixture = await build(cases)
    await cases.add_staff(SYSTEM, "aad-a1", "Ada", "admin", "0580")
    for aad in ("aad-c1", "aad-m1", "aad-a1"):
        await remember_chat(sessionmaker, aad)
    period = await ScbCalendar(sessionmaker).period("2026H1")
    export = await scb_file(sessionmaker, fixture.manager, period)
    refused = len({problem.case_id for problem in export.problems})
    inbox = Inbox()

    report = await DailyJob(sessionmaker, inbox).run(SCB_EVE)

    for aad in ("aad-c1", "aad-m1"):
        [digest] = inbox.messages[f"personal-{aad}"]
        [scb] = [r for r in _items(digest) if r.kind == "scb_deadline"]
        assert scb.key == "scb_deadline:2026H1:2026-09-14:working_days_1"
        assert f"{refused} ärenden saknar uppgifter som SCB behöver" in scb.detail
        card = str(render(digest).card)
        assert "SCB-rapportering" in card and "senast 2026-09-14" in card
    [ask] = _items(inbox.messages["personal-aad-a1"][0])
    assert ask.key == "scb_confirm:2026H1:2026-09-14:datum"
    assert refused == 2 and report.complete

    assert "enligt standardregeln" in scb.detail
    admin = Actor("aad-a1", fixture.municipality_id, "admin", None)
    await ScbCalendar(sessionmaker).set_deadline(admin, "2026H1", date(2026, 9, 14))
    inbox.messages.clear()

    deadline_day = await DailyJob(sessionmaker, inbox).run(date(2026, 9, 14))

    assert "personal-aad-a1" not in inbox.messages
    [scb] = [r for r in _items(inbox.messages["personal-aad-c1"][0]) if r.kind == "scb_deadline"]
    assert "standardregeln" not in scb.detail and deadline_day.complete
    after = await DailyJob(sessionmaker, inbox).run(date(2026, 9, 15))
    assert not [item for item in after.items if item.kind.startswith("scb")]


async def test_two_municipalities_each_post_their_own_counts_in_their_own_channel(sessionmaker):
    first = await seed(sessionmaker, "http://127.0.0.1:9/", cases_per_staff=0, unassigned=2)
    second = await seed(
        sessionmaker, "http://127.0.0.1:9/", cases_per_staff=1, unassigned=3, code="0682"
    )
    for seeded, channel in ((first, "19:linkoping"), (second, "19:nassjo")):
        # A reply thread's id: the post goes to its channel.
        await remember_channel(
            sessionmaker,
            seeded.staff_aad[0],
            f"{channel}@thread.tacv2;messageid=1",
            f"team-{channel}",
        )
    inbox = Inbox()

    await DailyJob(sessionmaker, inbox).run(date(2026, 3, 9))  # a Monday: the weekly overview

    def texts(channel: str) -> list[str]:
        messages = inbox.messages[f"{channel}@thread.tacv2"]
        assert all(isinstance(message, TeamNotice) for message in messages)
        return sorted(message.text for message in messages)

    linkoping, nassjo = texts("19:linkoping"), texts("19:nassjo")
    # Sorted: the weekly overview ("**Veckoöversikt…") before the count of unassigned youths.
    assert "Aktiva ärenden: 2" in linkoping[0] and "Utan handläggare: 2" in linkoping[0]
    assert "Aktiva ärenden: 5" in nassjo[0] and "Utan handläggare: 3" in nassjo[0]
    assert linkoping[1].startswith("2 ungdomar saknar handläggare.")
    assert nassjo[1].startswith("3 ungdomar saknar handläggare.")
    again = await DailyJob(sessionmaker, inbox).run(date(2026, 3, 9))
    assert {status for _key, status in again.channel_posts} == {"already_sent"}
    assert len(inbox.messages["19:nassjo@thread.tacv2"]) == 2


async def test_a_minors_reminder_names_the_guardian_in_the_digest_and_today(sessionmaker):
    cases = CaseService(sessionmaker)
    municipality = await cases.add_municipality(SYSTEM, "0580", "Linköping")
    member = await cases.add_staff(SYSTEM, "aad-c1", "Cia", "coordinator", "0580")
    coordinator = Actor("aad-c1", municipality.id, "coordinator", member.id)
    await remember_chat(sessionmaker, "aad-c1")
    for serial, guardians in ((1, (GuardianInput("Anna Berg", "070-999 88 77"),)), (2, ())):
        await cases.register_youth(
            coordinator,
            RegistrationInput(
                personnummer=fictitious_personnummer(date(2009, 9, serial), serial, "kvinna"),
                first_name="Minna" if serial == 1 else "Mira",
                last_name="Berg",
                registered_on=date(2026, 3, 2),
                registration_reason="avbrott_nationellt",
                source="gymnasieskola",
                guardians=guardians,
                assigned_staff_id=member.id,
            ),
            today=date(2026, 3, 2),
        )
    inbox = Inbox()

    await DailyJob(sessionmaker, inbox).run(date(2026, 3, 4))
    today = await answer(
        recognise("vad har jag idag?"),
        Turn("vad har jag idag?", None, date(2026, 3, 4)),
        FlowContext(cases, coordinator),
    )

    [digest] = inbox.messages["personal-aad-c1"]
    for card in (str(render(digest).card), str(today[0].card)):
        assert "Vårdnadshavare: Anna Berg, 070-999 88 77" in card
        assert "Ingen vårdnadshavare är registrerad i ärendet." in card
        assert card.count("kontaktas vårdnadshavaren först") == 2
