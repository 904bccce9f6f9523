"""The reminder benchmark runs on a small store and finds what the hand-written SQL finds:
the same due items, and in an SCB-deadline week the same count of incomplete SCB data per
municipality (``agree`` covers both)."""

from __future__ import annotations

import asyncio
import json

from bench import reminders


async def test_bench_runs_and_agrees(database_url, engine, capsys):
    args = ["--municipalities", "4", "--youths", "300", "--contacts", "4000", "--repeats", "1"]

    code = await asyncio.to_thread(reminders.main, [*args, "--url", database_url, "--json"])

    assert code == 0
    ordinary, deadline_week = json.loads(capsys.readouterr().out)["results"]
    for result in (ordinary, deadline_week):
        assert result["agree"] is True
        assert result["compared_items"] > 50
        assert result["due_items"] >= result["compared_items"]
    assert (ordinary["day"], ordinary["scb_items"]) == ("vanlig dag", 0)
    assert deadline_week["day"] == "SCB-vecka" and deadline_week["scb_items"] > 0
    # The store gives SCB's checks something to refuse, so agreeing on the counts means something.
    assert ordinary["scb_incomplete"] == 0 and deadline_week["scb_incomplete"] > 10
