"""Card submissions with unknown or garbage values are ignored safely: no crash, nothing lost."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dialogs import texts
from dialogs.conversation import FLOWS
from storage.demo import fictitious_personnummer
from tests.integration.teams import activity, say

MALFORMED: list[Any] = [
    {"flow": ["registrera"]},
    {"flow": {"name": "registrera"}},
    {"flow": 12},
    {"flow": None, "submission": None},
    {"flow": "finns_inte"},
    {"submission": {"id": 1}},
    {"submission": ["a", "b"]},
    {"case_id": {"$ne": 1}, "flow": "visa"},
    {"flow": "registrera", "reason": ["inflyttad", "annat"]},
    {"flow": "registrera", "source": {"x": 1}, "personnummer": 200801011234},
    {"flow": "registrera", "confirm": {"ja": True}, "first_name": ["Eva"]},
    {"flow": "registrera", "registered_on": 20260101, "last_name": 3.5},
    {"flow": "kontakt", "case_id": "abc", "occurred_on": []},
    {"flow": "kontakt", "case_id": ["1"]},
    {"action": "reminder", "key": {"a": 1}, "case_id": []},
    {"action": ["done"], "kind": None},
    {"\u0000": "\u0000", "flow": "\u202eregistrera"},
    {"x" * 500: "y" * 5000},
    {"nested": {"deeply": [{"a": [1, 2, {"b": None}]}]}},
    {"flow": True, "submission": 3.14},
]


def _has_error(replies: list[str]) -> bool:
    return any(texts.SOMETHING_WENT_WRONG in reply for reply in replies)


@pytest.mark.parametrize("value", MALFORMED)
async def test_garbage_card_values_do_not_crash(demo_bot, connector, value):
    replies = await say(demo_bot, connector, None, value=value)
    assert not _has_error(replies)
    await say(demo_bot, connector, "avbryt")
    assert "Det här kan jag hjälpa dig med" in (await say(demo_bot, connector, "hjälp"))[0]


@pytest.mark.parametrize("value", [["a", "b"], "registrera", 42, True])
async def test_a_value_that_is_not_an_object_is_ignored(demo_bot, connector, value):
    body = activity(connector.url, text="hjälp")
    body["value"] = value
    response = await demo_bot.post("/api/messages", json=body)
    assert response.status == 200
    assert any("Det här kan jag hjälpa dig med" in text for text in connector.texts())


async def test_garbage_in_the_middle_of_a_flow_keeps_what_was_entered(demo_bot, connector):
    pnr = fictitious_personnummer(date(date.today().year - 19, 4, 4), 51, "kvinna")
    await say(demo_bot, connector, "registrera")
    await say(demo_bot, connector, pnr)
    await say(demo_bot, connector, "Greta")
    for value in MALFORMED:
        if isinstance(value.get("flow"), str) and value["flow"] in FLOWS:
            continue  # a real card of a flow starts that flow; covered above
        replies = await say(demo_bot, connector, None, value=value)
        assert not _has_error(replies), value
    help_text = await say(demo_bot, connector, "hjälp")
    assert "efternamn" in help_text[-1].lower()
    next_question = await say(demo_bot, connector, "Skräpsson")
    assert "datum" in next_question[-1]


async def test_garbage_fields_of_the_running_flow_are_asked_again(demo_bot, connector):
    await say(demo_bot, connector, "registrera")
    for value in MALFORMED[8:12]:
        replies = await say(demo_bot, connector, None, value=value)
        assert not _has_error(replies), value
        assert replies, value
