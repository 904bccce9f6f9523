"""Counting incomplete SCB data lets the event loop turn: the daily job counts the whole
country's half-year beside its planning and the bot's chat turns."""

from __future__ import annotations

import asyncio

import storage.reports.scb as scb
from bench.national import Size, generate, given, insert
from storage.scb.calendar import ScbCalendar


async def test_the_count_gives_the_event_loop_turns_between_slices(
    database_url, engine, sessionmaker, monkeypatch
):
    tables = generate(Size(municipalities=2, youths=900, contacts=3000), seed=5)
    await insert(given(database_url), tables)
    calendar = ScbCalendar(sessionmaker)
    period, lists = await calendar.period("2026H1"), await calendar.code_lists("2026H1")
    ticks = 0
    seen: list[int] = []  # the ticks at each case checked

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    checked = scb.build_row

    def counted_row(*args):
        seen.append(ticks)
        return checked(*args)

    monkeypatch.setattr(scb, "build_row", counted_row)
    ticking = asyncio.create_task(ticker())
    try:
        async with sessionmaker() as session:
            counts = await scb.incomplete_counts(session, period, lists)
    finally:
        ticking.cancel()

    assert len(seen) > 2 * scb._SLICE and sum(counts.values()) > 0
    # Once the reads are in, the cases are checked a slice at a time, with turns between.
    assert seen[scb._SLICE - 1] == seen[0] and seen[-1] > seen[0]
