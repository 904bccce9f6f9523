"""`kaa-bot staff deactivate`: the leaver's cases and reminders go to the colleague, with
the reminders' done and snoozed states kept; the daily job names the colleague, never the
leaver."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select

from bot.staff import actor_for
from storage.models import Staff
from storage.reminders import ReminderRef, ReminderStore
from tests.integration.kaa_bot import KaaBot
from tests.integration.reminder_setup import FIRST_CONTACT_DAY, REGISTERED, seed

SNOOZED_UNTIL = date(2026, 3, 9)  # a Monday after the first contact day


async def _deactivate(kaa_bot: KaaBot, leaver: str, *more: str) -> tuple[int, str, str]:
    return await kaa_bot("staff", "deactivate", "--aad-id", leaver, "--municipality", "0580", *more)


async def _dry_run(kaa_bot: KaaBot, day: date) -> list[dict[str, object]]:
    code, out, err = await kaa_bot(
        "reminders", "run", "--date", day.isoformat(), "--dry-run", "--json"
    )
    assert code == 0, err
    return json.loads(out)


async def test_a_handover_moves_every_case_and_keeps_the_snoozed_reminder(kaa_bot, sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=2, cases_per_staff=3)
    leaver, colleague = seeded.staff_aad
    snoozed_case, other_case, done_case = seeded.case_ids[:3]
    snoozed_key = f"first_contact:{snoozed_case}:{REGISTERED.isoformat()}"
    done_key = f"first_contact:{done_case}:{REGISTERED.isoformat()}"
    async with sessionmaker() as session:
        member = await session.scalar(select(Staff).where(Staff.aad_object_id == leaver))
    reminders = ReminderStore(sessionmaker)
    await reminders.snooze(
        actor_for(member),
        ReminderRef(snoozed_key, "first_contact", snoozed_case, FIRST_CONTACT_DAY),
        SNOOZED_UNTIL,
    )
    await reminders.mark_done(
        actor_for(member), ReminderRef(done_key, "first_contact", done_case, FIRST_CONTACT_DAY)
    )

    code, out, err = await _deactivate(kaa_bot, leaver, "--handover-to", colleague)

    assert code == 0, err
    assert "Handläggare 0 är avaktiverad" in out
    assert "3 aktiva ärenden flyttades till Handläggare 1" in out
    items = await _dry_run(kaa_bot, FIRST_CONTACT_DAY)
    assert {item["staff"] for item in items} == {colleague}
    assert {item["case_id"] for item in items} == set(seeded.case_ids) - {snoozed_case, done_case}
    assert other_case in {item["case_id"] for item in items}
    later = await _dry_run(kaa_bot, SNOOZED_UNTIL)
    assert [item["staff"] for item in later if item["key"] == snoozed_key] == [colleague]
    assert done_key not in {item["key"] for item in later}
    assert leaver not in {item["staff"] for item in later}


async def test_deactivate_without_a_colleague_and_with_wrong_ids(kaa_bot, sessionmaker):
    seeded = await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=2, cases_per_staff=1)
    leaver = seeded.staff_aad[0]

    code, _out, err = await _deactivate(kaa_bot, leaver, "--handover-to", "no-such-person")
    assert code == 1 and "Hittar ingen aktiv person" in err
    code, out, err = await _deactivate(kaa_bot, leaver)
    assert code == 0, err
    assert "1 aktivt ärende saknar nu handläggare" in out
    items = await _dry_run(kaa_bot, FIRST_CONTACT_DAY)
    statuses = {item["case_id"]: (item["staff"], item["status"]) for item in items}
    assert statuses[seeded.case_ids[0]] == (None, "unassigned")
    assert statuses[seeded.case_ids[1]] == (seeded.staff_aad[1], "dry_run")
    code, _out, err = await _deactivate(kaa_bot, leaver)
    assert code == 1 and "Hittar ingen aktiv person" in err
