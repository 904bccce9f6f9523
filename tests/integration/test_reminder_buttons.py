"""The digest card's buttons, clicked through the bot: snooze, done, Klar and Öppna ärende."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from bot.staff import actor_for
from dialogs.conversation import FLOWS
from dialogs.digest import digest_reply
from scheduler.calendar import add_working_days
from scheduler.labels import load_case_labels
from scheduler.messages import PersonalDigest
from scheduler.planning import plan_day
from scheduler.rules import Kind, group_for_digest
from storage.cases import CaseService, RegistrationInput
from storage.demo import fictitious_personnummer
from storage.models import AuditEntry, Reminder
from tests.integration.teams import USER_AAD, say


def _buttons(card: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit":
                found.append((node["title"], node["data"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    return found


async def _setup(client, connector, sessionmaker) -> tuple[dict[str, Any], dict[int, str]]:
    """The demo user, two cases of theirs and their digest card for today."""
    await say(client, connector, "hej")  # provisions the staff member and stores the chat
    cases = CaseService(sessionmaker)
    staff = await cases.staff_by_aad_id(USER_AAD)
    today = date.today()
    actor = actor_for(staff)
    names = {}
    for serial, (birth, first_name) in enumerate(
        [
            (date(today.year - 18, 1, 1), "Saga"),
            # Turns 20 within the month: a reminder that is acknowledged, not documented.
            (
                date(today.year - 20, 1, 1)
                + timedelta(days=(today - date(today.year, 1, 1)).days + 20),
                "Nils",
            ),
        ]
    ):
        registration = await cases.register_youth(
            actor,
            RegistrationInput(
                personnummer=fictitious_personnummer(birth, 40 + serial, "kvinna"),
                first_name=first_name,
                last_name="Knapp",
                registered_on=today - timedelta(days=20),
                registration_reason="avbrott_nationellt",
                source="gymnasieskola",
            ),
            today=today,
        )
        names[registration.case_id] = first_name
    plan = await plan_day(sessionmaker, today)
    mine = [a.reminder for a in plan.assignments() if a.staff_id == staff.id]
    async with sessionmaker() as session:
        labels = await load_case_labels(session, [r.case_id for r in mine])
    message = PersonalDigest(today=today, digest=group_for_digest(mine, today), cases=labels)
    return digest_reply(message, FLOWS).card, names


def _button(card, title: str, kind: Kind, case_id: int | None = None) -> dict[str, Any]:
    return next(
        data
        for button_title, data in _buttons(card)
        if button_title == title
        and data.get("reminder", "").startswith(f"{kind}:")
        and (case_id is None or data.get("case_id") == case_id)
    )


async def test_snooze_buttons_hide_the_reminder_until_its_day(demo_bot, connector, sessionmaker):
    card, names = await _setup(demo_bot, connector, sessionmaker)
    saga = next(case_id for case_id, name in names.items() if name == "Saga")
    week = _button(card, "Skjut upp 1 vecka", Kind.FIRST_CONTACT, saga)
    day = _button(card, "Skjut upp 1 dag", Kind.CONTACT_GOAL, saga)

    replies = await say(demo_bot, connector, None, value=week)
    replies += await say(demo_bot, connector, None, value=day)

    today = date.today()
    in_a_week, next_working_day = today + timedelta(days=7), add_working_days(today, 1)
    assert replies[0].startswith("Okej, jag påminner dig igen")
    async with sessionmaker() as session:
        rows = {r.key: r.snoozed_until for r in await session.scalars(select(Reminder))}
        actions = [e.action for e in await session.scalars(select(AuditEntry))]
    assert rows == {week["reminder"]: in_a_week, day["reminder"]: next_working_day}
    assert actions.count("reminder.snooze") == 2
    hidden = {a.reminder.key for a in (await plan_day(sessionmaker, today)).assignments()}
    assert week["reminder"] not in hidden and day["reminder"] not in hidden
    back = {a.reminder.key for a in (await plan_day(sessionmaker, in_a_week)).assignments()}
    assert week["reminder"] in back


async def test_done_button_acknowledges_and_a_second_click_is_ignored(
    demo_bot, connector, sessionmaker
):
    card, _names = await _setup(demo_bot, connector, sessionmaker)
    done = _button(card, "Klar", Kind.TURNING_20)
    assert done["reminder_action"] == "done"

    first = await say(demo_bot, connector, None, value=done)
    again = await say(demo_bot, connector, None, value=done)

    assert first == ["Bra! Påminnelsen är avklarad."]
    assert "redan" in again[0]
    keys = {a.reminder.key for a in (await plan_day(sessionmaker, date.today())).assignments()}
    assert done["reminder"] not in keys


async def test_klar_starts_the_contact_dialog_for_that_case(demo_bot, connector, sessionmaker):
    card, names = await _setup(demo_bot, connector, sessionmaker)
    saga = next(case_id for case_id, name in names.items() if name == "Saga")
    klar = _button(card, "Klar", Kind.FIRST_CONTACT, saga)
    assert klar["flow"] == "kontakt" and klar["case_id"] == saga

    replies = await say(demo_bot, connector, None, value=klar)

    # The contact dialog starts on that case: it asks for the date, not which youth.
    assert replies[0].startswith("**Logga kontakt**"), replies
    assert "Vilken dag var kontakten?" in replies[-1], replies


async def test_forged_button_data_gets_a_swedish_answer(demo_bot, connector, sessionmaker):
    card, _names = await _setup(demo_bot, connector, sessionmaker)
    snooze = _button(card, "Skjut upp 1 dag", Kind.FIRST_CONTACT)

    other_case = await say(
        demo_bot, connector, None, value={**snooze, "case_id": 999999, "submission": "x1"}
    )
    bad_days = await say(
        demo_bot, connector, None, value={**snooze, "days": 30, "submission": "x2"}
    )

    assert other_case == [
        "Jag känner inte igen den påminnelsen. Öppna den senaste sammanfattningen."
    ]
    assert "känner inte igen den knappen" in bad_days[0]
