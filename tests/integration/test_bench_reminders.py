"""The reminder benchmark runs on a small store and finds what the hand-written SQL finds."""

from __future__ import annotations

import asyncio
import json

from bench import reminders


async def test_bench_runs_and_agrees(database_url, engine, capsys):
    args = ["--municipalities", "4", "--youths", "300", "--contacts", "4000", "--repeats", "1"]

    code = await asyncio.to_thread(reminders.main, [*args, "--url", database_url, "--json"])

    assert code == 0
    [result] = json.loads(capsys.readouterr().out)["results"]
    assert result["agree"] is True
    assert result["compared_items"] > 50
    assert result["due_items"] >= result["compared_items"]
