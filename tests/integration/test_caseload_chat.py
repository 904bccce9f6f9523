"""Taking, assigning and handing over cases in the chat; the rules are storage's, the chat
explains them. On both databases."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select

from storage.audit import Actor
from storage.models import AuditEntry, KaaCase
from tests.integration.capture import SYSTEM, World, actor_of, inputs, submit_actions


async def _holder(world: World, case_id: int) -> int | None:
    async with world.cases.sessionmaker() as session:
        return await session.scalar(select(KaaCase.assigned_staff_id).where(KaaCase.id == case_id))


async def _unassigned(world: World, first_name: str, serial: int) -> int:
    """A case from the intake, registered by no staff member: it has no coordinator."""
    intake = Actor("import", world.anna.municipality_id, "coordinator")
    return await world.register(first_name, serial=serial, actor=intake)


async def test_take_a_case_by_number_and_by_name(capture):
    elin = await _unassigned(capture, "Elin", 1)
    omar = await _unassigned(capture, "Omar", 2)
    chat = capture.chat()
    summary = await chat.text(f"ta ärende {elin}")
    assert f"Du tar Elin Testsson (ärende {elin})" in summary
    assert "Klart! Elin Testsson" in await chat.text("ja")
    assert "Klart!" in await chat.text("ta omar") + await chat.text("ja")
    assert {await _holder(capture, elin), await _holder(capture, omar)} == {capture.anna.staff_id}
    mine = await chat.text("mina ärenden")
    assert f"Elin Testsson** (ärende {elin})" in mine and "Omar Testsson" in mine
    again = await chat.text(f"ta ärende {elin}") + await chat.text("ja")
    assert "redan ditt" in again


async def test_a_colleagues_case_is_not_taken_and_the_chat_says_whose(capture):
    berts = await capture.register("Sara", serial=3, actor=capture.bert)
    chat = capture.chat()
    await chat.say(f"ta ärende {berts}")
    refused = await chat.text("ja")
    assert f"Bert Berg har redan ärende {berts}" in refused and "fördela" in refused
    assert chat.active is None
    assert await _holder(capture, berts) == capture.bert.staff_id


async def test_the_case_card_offers_to_take_an_unassigned_case(capture):
    elin = await _unassigned(capture, "Elin", 1)
    chat = capture.chat()
    await chat.say(f"visa {elin}")
    buttons = {button["title"]: button["data"] for button in submit_actions(chat.card())}
    assert buttons["Ta ärendet"]["flow"] == "ta_arende"
    # Its own submission id: pressing it never counts as another button already pressed.
    submissions = [data["submission"] for data in buttons.values() if "submission" in data]
    assert len(submissions) == len(set(submissions)) >= 2
    assert "Klart!" in await chat.text(value=buttons["Ta ärendet"])
    assert await _holder(capture, elin) == capture.anna.staff_id
    await chat.say(f"visa {elin}")
    titles = {button["title"] for button in submit_actions(chat.card())}
    assert "Ta ärendet" not in titles and "Lämna över …" in titles


async def test_managers_assign_and_never_take(capture):
    elin = await _unassigned(capture, "Elin", 1)
    chat = capture.chat(capture.chef)
    refused = await chat.text(f"ta ärende {elin}")
    assert "Som chef fördelar du ärenden" in refused and chat.active is None
    summary = await chat.text("tilldela Elin till bert")
    assert "Elin Testsson" in summary and "får Bert Berg som handläggare" in summary
    assert "Bert Berg som handläggare" in await chat.text("ja")
    assert await _holder(capture, elin) == capture.bert.staff_id
    # A manager also moves a case that has a coordinator.
    await chat.say(f"tilldela ärende {elin} till Anna Ek")
    await chat.say("ja")
    assert await _holder(capture, elin) == capture.anna.staff_id
    async with capture.cases.sessionmaker() as session:
        staff = list(
            await session.scalars(
                select(AuditEntry.staff_id).where(AuditEntry.action == "case.assign")
            )
        )
    assert staff == [capture.chef.staff_id, capture.chef.staff_id]


async def test_assigning_explains_and_asks_again(capture):
    elin = await _unassigned(capture, "Elin", 1)
    chat = capture.chat(capture.chef)
    asked = await chat.text("tilldela Elin till Zlatan")
    assert "hittar ingen som heter ”Zlatan”" in asked and "Vem ska ha ärendet?" in asked
    assert "Chef" not in asked.split("kan välja:")[1]  # managers hold no cases
    assert "får Anna Ek" in await chat.text("anna")
    await chat.say("ja")
    assert await _holder(capture, elin) == capture.anna.staff_id
    # A coordinator may not move a colleague's case.
    coordinator = capture.chat(capture.bert)
    await coordinator.say(f"tilldela {elin} till mig")
    refused = await coordinator.text("ja")
    assert f"Anna Ek har redan ärende {elin}" in refused and "chef" in refused
    assert await _holder(capture, elin) == capture.anna.staff_id


async def test_fordela_lists_the_unassigned_with_take_and_assign(capture):
    ids = [await _unassigned(capture, name, n) for n, name in enumerate(("Elin", "Omar"), 1)]
    await capture.register("Sara", serial=3)  # Anna's
    chat = capture.chat()
    replies = await chat.say("fördela")
    assert replies[0].text.startswith("2 ungdomar saknar handläggare")
    card = replies[0].card
    text = json.dumps(card, ensure_ascii=False)
    assert "Elin Testsson" in text and "Omar Testsson" in text and "Sara" not in text
    assert {choice["title"] for choice in inputs(card)["staff_id"]["choices"]} == {
        "Anna Ek",
        "Bert Berg",
    }
    buttons = submit_actions(card)
    assert [b["title"] for b in buttons] == ["Ta ärendet", "Tilldela vald kollega"] * 2
    take_elin, _assign_elin, _take_omar, assign_omar = (b["data"] for b in buttons)
    assert take_elin["case_id"] == ids[0] and assign_omar["case_id"] == ids[1]
    assert "Klart!" in await chat.text(value=take_elin)
    picked = {**assign_omar, "staff_id": str(capture.bert.staff_id)}
    assert "Bert Berg som handläggare" in await chat.text(value=picked)
    assert [await _holder(capture, case_id) for case_id in ids] == [
        capture.anna.staff_id,
        capture.bert.staff_id,
    ]
    # The list was read: each case shown is an audited read.
    async with capture.cases.sessionmaker() as session:
        listed = set(
            await session.scalars(
                select(AuditEntry.case_id).where(AuditEntry.action == "case.list")
            )
        )
    assert set(ids) <= listed
    assert "Alla aktiva ärenden har en handläggare" in await chat.text("fordela")


async def test_a_stale_list_never_moves_a_case_someone_took(capture):
    elin = await _unassigned(capture, "Elin", 1)
    manager = capture.chat(capture.chef)
    card = (await manager.say("ofördelade ärenden"))[0].card
    assert [b["title"] for b in submit_actions(card)] == ["Tilldela vald kollega"]
    await capture.cases.take(capture.anna, elin)
    picked = {**submit_actions(card)[0]["data"], "staff_id": str(capture.bert.staff_id)}
    refused = await manager.text(value=picked)
    assert f"Anna Ek har redan ärende {elin}" in refused
    assert await _holder(capture, elin) == capture.anna.staff_id


async def test_hand_over_all_my_cases(capture):
    mine = [await capture.register(name, serial=n) for n, name in enumerate("ABC", 1)]
    chat = capture.chat()
    summary = await chat.text("överlämna mina ärenden till Bert")
    assert "Alla dina aktiva ärenden lämnas över till Bert Berg" in summary
    assert "3 ärenden har lämnats över till Bert Berg" in await chat.text("ja")
    assert {await _holder(capture, case_id) for case_id in mine} == {capture.bert.staff_id}
    assert "inga aktiva ärenden" in await chat.text("mina ärenden")


async def test_hand_over_chosen_cases_typed_or_ticked(capture):
    elin, omar, sara = [
        await capture.register(name, serial=n) for n, name in enumerate(("Elin", "Omar", "Sara"))
    ]
    chat = capture.chat()
    summary = await chat.text("lämna över Elin och Omar till Bert")
    assert f"Elin Testsson (ärende {elin}) lämnas över" in summary
    assert f"Omar Testsson (ärende {omar}) lämnas över" in summary and "Sara" not in summary
    assert "2 ärenden har lämnats" in await chat.text("ja")
    asked = await chat.say("överlämna")
    card = asked[-1].card
    assert card is not None
    assert {c["value"] for c in inputs(card)["cases"]["choices"]} == {str(sara)}
    question = await chat.text(value={**card["actions"][0]["data"], "cases": str(sara)})
    assert "Vem ska ta över" in question
    assert "Anna Ek" not in question.split("Vem ska ta över")[1]  # not to oneself
    await chat.say("bert")
    await chat.say("ja")
    assert [await _holder(capture, c) for c in (elin, omar, sara)] == [capture.bert.staff_id] * 3


async def test_handing_over_refuses_what_is_not_yours(capture):
    berts = await capture.register("Omar", serial=2, actor=capture.bert)
    chat = capture.chat()
    asked = await chat.text(f"överlämna {berts} till Bert")
    assert "inte ett av dina aktiva ärenden" in asked
    assert "Som chef har du inga egna" in await capture.chat(capture.chef).text("överlämna")


async def test_an_admin_deactivates_a_leaver_in_the_chat(capture):
    admin = actor_of(await capture.cases.add_staff(SYSTEM, "aad-ada", "Ada Admin", "admin", "0580"))
    annas = [await capture.register(name, serial=n) for n, name in enumerate("AB", 1)]
    chat = capture.chat(admin)
    assert "Vem ska ta över personens ärenden?" in await chat.text("avaktivera Anna")
    summary = await chat.text("Bert")
    assert "Anna Ek avaktiveras" in summary and "2 aktiva ärenden flyttas till Bert Berg" in summary
    done = await chat.text("ja")
    assert "Anna Ek är avaktiverad" in done and "flyttades till Bert Berg" in done
    assert {await _holder(capture, case_id) for case_id in annas} == {capture.bert.staff_id}
    assert await capture.cases.staff_by_aad_id("aad-anna") is None
    refused = await capture.chat().text("avaktivera Bert")
    assert "bara administratörer" in refused


async def test_deactivating_without_a_colleague_and_oneself(capture):
    admin = actor_of(await capture.cases.add_staff(SYSTEM, "aad-ada", "Ada Admin", "admin", "0580"))
    await capture.register("Elin", serial=1)
    chat = capture.chat(admin)
    assert "hittar ingen" in (await chat.text("avaktivera Ada")).lower()
    await chat.say("anna")
    summary = await chat.text("ingen")
    assert "1 aktivt ärende blir utan handläggare" in summary
    assert "saknar nu handläggare" in await chat.text("ja")
    assert "1 ungdom saknar handläggare" in (await chat.say("fördela"))[0].text


async def test_arbetsfordelning_for_managers(capture):
    await capture.register("Elin", serial=1, registered_on=date(2026, 1, 10))
    await _unassigned(capture, "Omar", 2)
    replies = await capture.chat(capture.chef).say("arbetsfördelning")
    assert "1 aktivt ärende saknar handläggare" in replies[0].text
    card = replies[0].card
    [table] = [block for block in card["body"] if block["type"] == "Table"]
    cells = [[cell["items"][0]["text"] for cell in row["cells"]] for row in table["rows"][1:]]
    # Elin was registered more than four weeks before and never reached.
    assert cells[0][0] == "Anna Ek" and cells[0][1] == "1" and cells[0][3] == "1"
    assert int(cells[0][2]) >= 1  # her first contact is overdue
    assert cells[1][:2] == ["Bert Berg", "0"]
    assert cells[2][:2] == ["Utan handläggare", "1"]
    assert any(block["type"] == "Chart.VerticalBar.Grouped" for block in card["body"])
    refused = await capture.chat().text("arbetsfördelning")
    assert "till för chefer" in refused


async def test_a_managers_day_says_how_many_cases_reach_no_coordinator(capture):
    await capture.register("Elin", serial=1)  # Anna's, but she never wrote to the bot
    await _unassigned(capture, "Omar", 2)
    replies = await capture.chat(capture.chef).say("vad har jag idag?")
    assert replies[0].text == (
        "**Ingen följer upp:** 1 ungdom saknar handläggare och 1 ungdom har en handläggare "
        "som jag inte når (1 har aldrig skrivit till mig). Skriv **fördela** eller "
        "**arbetsfördelning**."
    )
    assert replies[1].text == "Du har inga aktiva ärenden tilldelade just nu."
    mine = await capture.chat().say("vad har jag idag?")
    assert not any("Ingen följer upp" in (reply.text or "") for reply in mine)


def _snooze_buttons(card: dict) -> list[dict]:
    return [b["data"] for b in submit_actions(card) if b["title"] == "Skjut upp 1 vecka"]


async def test_a_handover_keeps_a_snoozed_reminder_snoozed(capture):
    elin = await capture.register("Elin", serial=1)
    omar = await capture.register("Omar", serial=2)
    anna = capture.chat()
    due = _snooze_buttons((await anna.say("vad har jag idag?"))[0].card)
    snoozed = next(data for data in due if data["case_id"] == elin)
    assert "Okej" in await anna.text(value=snoozed)
    await anna.say("överlämna mina ärenden till Bert")
    assert "2 ärenden har lämnats över till Bert Berg" in await anna.text("ja")

    bert = capture.chat(capture.bert)
    keys = {
        data["reminder"] for data in _snooze_buttons((await bert.say("vad har jag idag?"))[0].card)
    }
    assert snoozed["reminder"] not in keys
    assert {data["reminder"] for data in due} - {snoozed["reminder"]} <= keys
    assert any(key.split(":")[1] == str(omar) for key in keys)
    # A week later it is due again, for Bert.
    bert.today += timedelta(days=7)
    later = _snooze_buttons((await bert.say("vad har jag idag?"))[0].card)
    assert snoozed["reminder"] in {data["reminder"] for data in later}
