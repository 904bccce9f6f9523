"""The daily reminder job on the case store: recipients, exactly-once delivery, holidays, states."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from bot.proactive import ProactiveSender
from bot.reminders import ReminderSchedule, make_send
from scheduler.daily import DailyJob
from scheduler.delivery import Status
from scheduler.messages import Message, PersonalDigest, SendOutcome, TeamNotice
from storage.audit import Actor
from storage.cases import CaseService, ContactInput
from storage.models import AuditEntry, ConversationRef, ReminderDelivery
from storage.reminders import ReminderRef, ReminderStore
from tests.integration.reminder_setup import (
    FIRST_CONTACT_DAY,
    Clock,
    remember_channel,
    seed,
)
from tests.integration.scripted_connector import ScriptedConnector, anonymous_connector

JULAFTON = date(2026, 12, 24)
MIDSOMMARAFTON = date(2026, 6, 19)


class RecordingSend:
    """Records what the job hands to the bot; answers with a fixed outcome."""

    def __init__(self, outcome: SendOutcome = SendOutcome.SENT) -> None:
        self.outcome = outcome
        self.sent: list[tuple[dict[str, Any], Message]] = []

    async def __call__(self, ref: dict[str, Any], message: Message) -> SendOutcome:
        self.sent.append((ref, message))
        return self.outcome


def _digest_keys(send: RecordingSend) -> list[str]:
    keys = []
    for _ref, message in send.sent:
        assert isinstance(message, PersonalDigest)
        digest = message.digest
        keys += [r.key for r in (*digest.overdue, *digest.today, *digest.this_week)]
    return keys


async def test_each_staff_gets_their_own_cases_once(sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=2, cases_per_staff=2)
    send = RecordingSend()

    report = await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY)

    assert len(send.sent) == 2  # one digest per staff member
    sent = [item for item in report.items if item.status == Status.SENT]
    assert {(item.kind, item.case_id) for item in sent} == {
        ("first_contact", case_id) for case_id in seeded.case_ids
    }
    by_staff = {}
    for item in sent:
        by_staff.setdefault(item.staff, set()).add(item.case_id)
    assert by_staff == {
        seeded.staff_aad[0]: set(seeded.case_ids[:2]),
        seeded.staff_aad[1]: set(seeded.case_ids[2:]),
    }
    ref, message = send.sent[0]
    assert ref["conversation"]["id"].startswith("personal-")
    assert isinstance(message, PersonalDigest)
    assert all(item.personnummer and len(item.personnummer) == 12 for item in sent)

    again = await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY)

    assert len(send.sent) == 2
    assert {item.status for item in again.items} == {Status.ALREADY_SENT}
    async with sessionmaker() as session:
        delivered = await session.scalar(
            select(func.count()).where(ReminderDelivery.delivered_at.is_not(None))
        )
        audited = await session.scalar(
            select(func.count()).where(AuditEntry.action == "reminder.deliver")
        )
    assert delivered == audited == 4


async def test_next_day_delivers_again_and_logging_a_contact_completes_it(sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=2)
    send = RecordingSend()
    job = DailyJob(sessionmaker, send)
    await job.run(FIRST_CONTACT_DAY)
    coordinator = Actor(
        label="test", municipality_id=seeded.municipality_id, role="coordinator", staff_id=None
    )
    await CaseService(sessionmaker).log_contact(
        coordinator,
        seeded.case_ids[0],
        ContactInput(FIRST_CONTACT_DAY, "brev", "ungdomen", "ej_nadd"),
        today=FIRST_CONTACT_DAY,
    )

    await job.run(date(2026, 3, 5))

    assert _digest_keys(send) == [
        f"first_contact:{seeded.case_ids[0]}:2026-03-02",
        f"first_contact:{seeded.case_ids[1]}:2026-03-02",
        f"first_contact:{seeded.case_ids[1]}:2026-03-02",
    ]


async def test_holidays_and_weekends_give_no_digest(sessionmaker):
    await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=1)
    send = RecordingSend()

    for day in (JULAFTON, MIDSOMMARAFTON, date(2026, 3, 29)):
        report = await DailyJob(sessionmaker, send).run(day)
        assert report.digest_day is False
        assert report.items == []

    assert send.sent == []


async def test_unassigned_cases_are_counted_for_the_team_channel_only(sessionmaker):
    seeded = await seed(
        sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=0, unassigned=3
    )
    await remember_channel(sessionmaker, seeded.staff_aad[0], "19:kanal@thread.tacv2;messageid=17")
    send = RecordingSend()

    report = await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY)  # a Wednesday

    assert {item.status for item in report.items} == {Status.UNASSIGNED}
    assert all(item.staff is None for item in report.items)
    [(ref, notice)] = send.sent
    assert isinstance(notice, TeamNotice)
    assert ref["conversation"]["id"] == "19:kanal@thread.tacv2"  # a new post, not a reply
    assert "3 ungdomar" in notice.text
    assert "Person" not in notice.text and "2008" not in notice.text

    monday = await DailyJob(sessionmaker, send).run(date(2026, 3, 9))

    texts = [message.text for _ref, message in send.sent[1:]]
    assert any("Veckoöversikt" in text and "Aktiva ärenden: 3" in text for text in texts)
    assert {key for key, status in monday.channel_posts if status == Status.SENT} == {
        "weekly_overview:2026-W11",
        "unassigned_intake",
    }


async def test_done_and_snoozed_reminders(sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=2)
    store = ReminderStore(sessionmaker)
    actor = Actor(label="test", municipality_id=seeded.municipality_id, role="coordinator")
    first, second = seeded.case_ids
    await store.mark_done(
        actor,
        ReminderRef(f"first_contact:{first}:2026-03-02", "first_contact", first, FIRST_CONTACT_DAY),
    )
    await store.snooze(
        actor,
        ReminderRef(
            f"first_contact:{second}:2026-03-02", "first_contact", second, FIRST_CONTACT_DAY
        ),
        date(2026, 3, 6),
    )
    send = RecordingSend()
    job = DailyJob(sessionmaker, send)

    assert (await job.run(FIRST_CONTACT_DAY)).items == []
    await job.run(date(2026, 3, 6))

    [(_ref, message)] = send.sent
    [reminder] = message.digest.today
    assert reminder.case_id == second


async def test_failed_send_is_retried_after_a_wait(sessionmaker):
    await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=1)
    clock = Clock(datetime(2026, 3, 4, 6, 30, tzinfo=UTC))
    failing = RecordingSend(SendOutcome.FAILED)

    report = await DailyJob(sessionmaker, failing, clock=clock).run(FIRST_CONTACT_DAY)

    assert [item.status for item in report.items] == [Status.FAILED]
    assert report.complete is False
    [retry_at] = report.pending.values()
    working = RecordingSend()
    early = await DailyJob(sessionmaker, working, clock=clock).run(FIRST_CONTACT_DAY)
    assert [item.status for item in early.items] == [Status.RETRY_LATER] and not working.sent
    clock.now = retry_at
    retried = await DailyJob(sessionmaker, working, clock=clock).run(FIRST_CONTACT_DAY)
    assert [item.status for item in retried.items] == [Status.SENT]
    assert retried.complete and len(working.sent) == 1


async def test_dry_run_sends_and_records_nothing(sessionmaker):
    await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=1)
    send = RecordingSend()

    report = await DailyJob(sessionmaker, send).run(FIRST_CONTACT_DAY, dry_run=True)

    assert [item.status for item in report.items] == [Status.DRY_RUN]
    assert send.sent == []
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ReminderDelivery)) == 0


async def test_403_marks_the_conversation_stale_and_keeps_the_reminder(sessionmaker):
    connector = ScriptedConnector([(403, {})])
    await connector.server.start_server()
    try:
        await seed(sessionmaker, connector.url, staff_count=1, cases_per_staff=1)
        client = anonymous_connector()
        job = DailyJob(sessionmaker, make_send(ProactiveSender(client, base_delay=0.01)))

        report = await job.run(FIRST_CONTACT_DAY)

        assert [item.status for item in report.items] == [Status.STALE]
        assert len(connector.requests) == 1 and connector.delivered == []
        async with sessionmaker() as session:
            assert await session.scalar(select(ConversationRef.stale)) is True
            assert await session.scalar(select(func.count()).select_from(ReminderDelivery)) == 0
        # Still due (what "vad har jag idag?" shows), but no more sends to a stale chat.
        later = await job.run(FIRST_CONTACT_DAY)
        assert [item.status for item in later.items] == [Status.NO_CONVERSATION]
        assert len(connector.requests) == 1
    finally:
        await client.close()
        await connector.server.close()


async def test_schedule_sends_at_digest_time_and_catches_up_once(sessionmaker):
    await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=1)
    send = RecordingSend()
    clock = Clock(datetime(2026, 3, 4, 6, 29, tzinfo=UTC))  # 07:29 CET
    schedule = ReminderSchedule(sessionmaker, send, "Europe/Stockholm", clock)

    early = await schedule.tick()
    assert early is None and send.sent == []
    clock.advance(minutes=1)
    await schedule.tick()
    assert len(send.sent) == 1
    clock.now = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    assert await schedule.tick() is None

    clock.now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    restarted = ReminderSchedule(sessionmaker, send, "Europe/Stockholm", clock)
    caught_up = await restarted.tick()
    assert {item.status for item in caught_up.items} == {Status.ALREADY_SENT}
    assert len(send.sent) == 1
