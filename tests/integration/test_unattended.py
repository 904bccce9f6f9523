"""Counting the cases that reach no coordinator, from the store, and telling the managers
and the team channel, on both databases."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from bot.reminders import render
from scheduler.daily import DailyJob
from scheduler.messages import PersonalDigest, TeamNotice
from scheduler.unattended import Unattended, load_unattended
from storage.cases import CaseService
from storage.conversations import ConversationStore
from storage.models import ConversationRef, Staff
from tests.integration.reminder_setup import (
    FIRST_CONTACT_DAY,
    SYSTEM,
    reference,
    remember_channel,
    remember_chat,
    seed,
)
from tests.integration.test_reminders import RecordingSend


async def test_unassigned_stale_silent_and_deactivated_holders_are_counted(sessionmaker):
    seeded = await seed(
        sessionmaker, "http://127.0.0.1:9/", staff_count=4, cases_per_staff=2, unassigned=3
    )
    other = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, code="0682")
    _reached, _stale, silent, left = seeded.staff_aad
    await ConversationStore(sessionmaker).mark_stale("personal-0580-1")
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Staff).where(Staff.aad_object_id == left).values(active=False))
        # "silent" never wrote to the bot: no 1:1 conversation of theirs is stored.
        await session.execute(
            update(ConversationRef)
            .where(ConversationRef.aad_object_id == silent)
            .values(aad_object_id=None)
        )

    counts = await load_unattended(sessionmaker, [seeded.municipality_id, other.municipality_id])

    assert counts[seeded.municipality_id] == Unattended(
        unassigned=3, deactivated=2, no_conversation=2, stale=2
    )
    assert counts[other.municipality_id] == Unattended()


async def test_managers_digest_and_the_channel_count_the_cases_nobody_follows_up(sessionmaker):
    seeded = await seed(
        sessionmaker, "http://127.0.0.1:9/", staff_count=2, cases_per_staff=1, unassigned=2
    )
    await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, code="0682")
    cases = CaseService(sessionmaker)
    for aad, code in (("aad-chef", "0580"), ("aad-chef-other", "0682")):
        await cases.add_staff(SYSTEM, aad, "Chef Chefsson", "manager", code)
        await remember_chat(sessionmaker, aad)
    await ConversationStore(sessionmaker).mark_stale("personal-0580-1")
    channel = await remember_channel(sessionmaker, seeded.staff_aad[0])
    send = RecordingSend()

    await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY)  # a Wednesday

    by_conversation = {ref["conversation"]["id"]: message for ref, message in send.sent}
    assert "personal-aad-chef-other" not in by_conversation  # all of 0682's cases reached
    digest = by_conversation["personal-aad-chef"]
    assert isinstance(digest, PersonalDigest)
    assert digest.unattended == (
        "2 ungdomar saknar handläggare och 1 ungdom har en handläggare som jag inte når "
        "(1 har tagit bort mig)."
    )
    reply = render(digest)
    assert reply.text.startswith("God morgon! Ingen följer upp: 2 ungdomar")
    assert "Inga påminnelser" in str(reply.card) and "**fördela**" in str(reply.card)
    notice = by_conversation[channel]
    assert isinstance(notice, TeamNotice) and notice.to_chat
    assert notice.text.startswith("2 ungdomar saknar handläggare och 1 ungdom har en handläggare")
    assert "**fördela**" in notice.text and "1:1-chatten" in notice.text
    assert "Person" not in notice.text and "Handläggare 1" not in notice.text
    [action] = render(notice, reference("http://127.0.0.1:9/", channel, "")).card["body"][1][
        "actions"
    ]
    assert action == {
        "type": "Action.OpenUrl",
        "title": "Fortsätt i 1:1-chatten",
        "url": "https://teams.microsoft.com/l/chat/0/0?users=bot-1",
    }
    assert render(notice).card is None  # no bot id known: the text alone

    sent = len(send.sent)
    await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY)
    assert len(send.sent) == sent  # one digest a day, one count a day per channel


async def test_the_weekly_overview_counts_them_as_the_daily_notice_does(sessionmaker):
    seeded = await seed(
        sessionmaker, "http://127.0.0.1:9/", staff_count=2, cases_per_staff=1, unassigned=2
    )
    left = seeded.staff_aad[1]
    async with sessionmaker() as session, session.begin():
        await session.execute(update(Staff).where(Staff.aad_object_id == left).values(active=False))
    channel = await remember_channel(sessionmaker, seeded.staff_aad[0])
    send = RecordingSend()

    await DailyJob(sessionmaker, send).run(date(2026, 3, 9))  # a Monday: the weekly overview

    overview, notice = sorted(
        message.text for ref, message in send.sent if ref["conversation"]["id"] == channel
    )
    # The deactivated coordinator's case is not "without a coordinator" in one post and
    # "a coordinator I cannot reach" in the other.
    assert "- Utan handläggare: 2\n- Med en handläggare som jag inte når: 1" in overview
    assert notice.startswith(
        "2 ungdomar saknar handläggare och 1 ungdom har en handläggare som jag inte når "
        "(1 avaktiverad)."
    )
