"""`kaa-bot reminders run` as real processes: two at the same moment deliver each reminder once."""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any

import pytest

from tests.integration.kaa_bot import KaaBot
from tests.integration.reminder_setup import FIRST_CONTACT_DAY, seed
from tests.integration.scripted_connector import ScriptedConnector


@pytest.fixture
def run(kaa_bot: KaaBot) -> KaaBot:
    """`kaa-bot reminders run ARGS` in a child process with only the settings it needs."""
    return functools.partial(kaa_bot, "reminders", "run")


def _card_keys(activity: dict[str, Any]) -> list[str]:
    """The reminder keys behind the *Skjut upp 1 dag* buttons: one per item in the card."""
    keys = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "Action.Submit" and node.get("title") == "Skjut upp 1 dag":
                keys.append(node["data"]["reminder"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(activity.get("attachments"))
    return keys


async def test_two_runs_at_once_deliver_each_reminder_once(run, sessionmaker):
    connector = ScriptedConnector()
    await connector.server.start_server()
    try:
        seeded = await seed(sessionmaker, connector.url, staff_count=3, cases_per_staff=3)
        day = FIRST_CONTACT_DAY.isoformat()

        first, second = await asyncio.gather(
            run("--date", day, "--json"),
            run("--date", day, "--json"),
        )

        assert first[0] == 0 and second[0] == 0, (first[2], second[2])
        items = json.loads(first[1]) + json.loads(second[1])
        sent = [item for item in items if item["status"] == "sent"]
        assert sorted(item["case_id"] for item in sent) == sorted(seeded.case_ids)
        assert {item["status"] for item in items} <= {"sent", "already_sent", "claimed_elsewhere"}
        delivered_keys = [key for activity in connector.delivered for key in _card_keys(activity)]
        assert sorted(delivered_keys) == sorted(
            f"first_contact:{case_id}:2026-03-02" for case_id in seeded.case_ids
        )
        assert len(connector.delivered) == 3  # one digest per staff member
        assert sorted(a["_conversation"] for a in connector.delivered) == [
            f"personal-0580-{n}" for n in range(3)
        ]

        code, out, err = await run("--date", day, "--json")

        assert code == 0, err
        assert {item["status"] for item in json.loads(out)} == {"already_sent"}
        assert len(connector.delivered) == 3
    finally:
        await connector.server.close()


async def test_three_runs_of_a_full_day_send_the_digest_once(run, sessionmaker):
    connector = ScriptedConnector()
    await connector.server.start_server()
    try:
        await seed(sessionmaker, connector.url, staff_count=1, cases_per_staff=22)
        day = FIRST_CONTACT_DAY.isoformat()

        runs = [await run("--date", day, "--json") for _ in range(3)]

        assert all(code == 0 for code, _out, _err in runs), [err for _c, _o, err in runs]
        statuses = [sorted(item["status"] for item in json.loads(out)) for _c, out, _e in runs]
        assert statuses[0] == ["later"] * 2 + ["sent"] * 20
        assert statuses[1] == statuses[2] == ["already_sent"] * 20 + ["later"] * 2
        assert len(connector.delivered) == 1 and len(_card_keys(connector.delivered[0])) == 20
    finally:
        await connector.server.close()


async def test_json_fields_and_dry_run(run, sessionmaker):
    connector = ScriptedConnector()
    await connector.server.start_server()
    try:
        seeded = await seed(sessionmaker, connector.url, staff_count=1, cases_per_staff=1)

        code, out, err = await run("--date", FIRST_CONTACT_DAY.isoformat(), "--dry-run", "--json")

        assert code == 0, err
        [item] = json.loads(out)
        assert item["kind"] == "first_contact"
        assert item["due"] == "2026-03-04"
        assert item["staff"] == seeded.staff_aad[0]
        assert len(item["personnummer"]) == 12 and item["personnummer"].startswith("2008")
        assert item["status"] == "dry_run"
        assert connector.requests == []

        code, out, _err = await run("--date", FIRST_CONTACT_DAY.isoformat())
        assert code == 0 and "1 skickade" in out
        assert len(connector.delivered) == 1
    finally:
        await connector.server.close()


async def test_holiday_and_bad_date(run, sessionmaker):
    await seed(sessionmaker, "http://127.0.0.1:9/", staff_count=1, cases_per_staff=1)

    code, out, _err = await run("--date", "2026-12-24", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _err = await run("--date", "2026-06-19")
    assert code == 0 and "ingen arbetsdag" in out
    code, _out, err = await run("--date", "24/12")
    assert code == 2 and "ÅÅÅÅ-MM-DD" in err
