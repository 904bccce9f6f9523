"""Benchmark: chat turns of the KAA bot against a bare botbuilder echo bot, over HTTP.

Both bots run as processes of their own, anonymous, on loopback: the echo bot
(`bench.echo_bot`: botbuilder 4.17.1, CloudAdapter, `send_activity(text)`) and `kaa-bot demo`
on a fresh SQLite store with reminders off. Their replies go to a local connector
(`bench.connector`), and a turn is timed from the POST to /api/messages until its last reply
reached the connector and the HTTP response arrived — what a Teams user waits for. Each
user is a personal conversation with an aadObjectId of its own; the echo bot gets the same
activities as the KAA bot. Then:

- latency, per scenario — `hjälp`; `visa NAMN` (a demo youth); a contact logged by one
  submission of the contact card; `vad har jag idag?` — in rounds of sequential turns,
  echo round and bot round alternating, which goes first alternating too: p50, p95, the
  ratio bot/echo, and each process's CPU time per turn;
- throughput at 10 and 30 concurrent users, each sending its next turn (the scenarios in
  turn) as soon as the last one's replies arrived, in timed runs alternating the same way;
- memory: a second KAA bot, its own process and fresh store, its VmRSS after start, after
  1 000 and after 10 000 turns (10 concurrent users, the scenarios mixed).

It stops with an error if a turn fails, a reply goes missing or comes extra, or the number
of contacts in the store differs from the number of contact cards submitted.

    .venv/bin/python -m bench.turns
    .venv/bin/python -m bench.turns --quick --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, TCPConnector

from bench.activities import SCENARIOS, Activities, User
from bench.connector import LocalConnector
from bench.demo_store import DemoStore
from bench.processes import BenchError, Child, start_bot, start_echo, start_together
from bench.turn_driver import BOT, ECHO, Driver
from bench.turn_report import latency_summary, print_report, throughput_summary

FULL = {
    "rounds": 10,
    "turns": 20,
    "duration": 10.0,
    "throughput_rounds": 3,
    "users": "10,30",
    "rss_turns": "1000,10000",
    "warmup": 2,
}
QUICK = {
    "rounds": 2,
    "turns": 3,
    "duration": 0.5,
    "throughput_rounds": 1,
    "users": "2,3",
    "rss_turns": "30,60",
    "warmup": 1,
}


@asynccontextmanager
async def bot_driver(
    http: ClientSession,
    connector: LocalConnector,
    warmup: int,
    bot: Child,
    others: dict[str, Child],
) -> AsyncIterator[Driver]:
    """A driver for a KAA bot on its demo store (and for `others`)."""
    assert bot.database is not None
    store = DemoStore(bot.database)
    try:
        plan = await store.plan()
        activities = Activities(connector.url, plan, plan.seeded_on)
        yield Driver(http, connector, {BOT: bot, **others}, store, plan, activities, warmup)
    finally:
        await store.close()


def _order(number: int) -> tuple[str, str]:
    return (ECHO, BOT) if number % 2 == 0 else (BOT, ECHO)


async def latency(driver: Driver, rounds: int, turns: int) -> dict[str, Any]:
    users = {
        target: {scenario: User(target, f"lat{index}") for index, scenario in enumerate(SCENARIOS)}
        for target in (ECHO, BOT)
    }
    everyone = [user for by_scenario in users.values() for user in by_scenario.values()]
    await driver.prepare(everyone, [users[BOT]["idag"]])
    results = {}
    for scenario in SCENARIOS:
        runs = []
        for number in range(rounds):
            for target in _order(number):
                run = await driver.round(users[target][scenario], scenario, turns)
                runs.append({"round": number, **run})
        results[scenario] = latency_summary(runs)
    return results


async def throughput(
    driver: Driver, levels: list[int], rounds: int, seconds: float
) -> dict[str, Any]:
    results = {}
    for level in levels:
        users = {
            target: [User(target, f"c{level}-{n}") for n in range(level)] for target in (ECHO, BOT)
        }
        await driver.prepare([*users[ECHO], *users[BOT]], users[BOT])
        runs = []
        for number in range(rounds):
            for target in _order(number):
                run = await driver.load(users[target], seconds=seconds)
                runs.append({"round": number, **run})
        results[str(level)] = throughput_summary(runs)
    return results


async def memory(driver: Driver, marks: list[int], concurrency: int) -> dict[str, Any]:
    """VmRSS of a fresh bot after start and after `marks` turns in all (warm-up included)."""
    bot = driver.children[BOT]
    before = await driver.store.contacts()
    started = bot.rss_mb()
    users = [User(BOT, f"rss-{n}") for n in range(concurrency)]
    await driver.prepare(users, users)
    readings = {}
    for mark in marks:
        await driver.load(users, turns=max(0, mark - driver.turns_served[BOT]))
        readings[str(mark)] = round(bot.rss_mb(), 1)
    first, last = readings[str(marks[0])], readings[str(marks[-1])]
    return {
        "users": concurrency,
        "after_start_mb": round(started, 1),
        "after_turns_mb": readings,
        "turns_served": driver.turns_served[BOT],
        "growth_percent": round((last / first - 1) * 100, 1),
        "contacts_written": await driver.check_contacts(before),
    }


async def measure(
    options: argparse.Namespace, connector: LocalConnector, children: list[Child]
) -> dict[str, Any]:
    levels = [int(part) for part in options.users.split(",")]
    echo, bot, spare = children
    async with ClientSession(connector=TCPConnector(limit=0)) as http:
        driver_for = partial(bot_driver, http, connector, options.warmup)
        async with driver_for(bot, {ECHO: echo}) as driver:
            contacts_before = await driver.store.contacts()
            latencies = await latency(driver, options.rounds, options.turns)
            rates = await throughput(driver, levels, options.throughput_rounds, options.duration)
            contacts = await driver.check_contacts(contacts_before)
        await echo.stop()
        await bot.stop()
        async with driver_for(spare, {}) as rss:
            marks = [int(part) for part in options.rss_turns.split(",")]
            memory_check = await memory(rss, marks, levels[0])
    return {
        "settings": {
            "rounds": options.rounds,
            "turns_per_round": options.turns,
            "throughput_seconds": options.duration,
            "throughput_rounds": options.throughput_rounds,
            "users": levels,
            "rss_turns": marks,
            "warmup_turns": options.warmup,
        },
        "latency": latencies,
        "throughput": rates,
        "memory": memory_check,
        "contacts_written": contacts,
    }


async def run(options: argparse.Namespace) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    connector = LocalConnector()
    await connector.start()
    try:
        with tempfile.TemporaryDirectory(prefix="kaa-bench-turns-") as name:
            workdir = Path(name)
            # The memory check's bot starts now too, beside the others: it idles until then.
            children = await start_together(
                start_echo(workdir),
                start_bot(workdir, "kaa-bot"),
                start_bot(workdir, "kaa-bot-rss"),
            )
            try:
                result = await measure(options, connector, children)
            except BenchError as error:
                # The bots' own words on what went wrong, before their directory goes.
                raise BenchError(f"{error}\n{_log_tails(children)}") from error
            finally:
                for child in children:
                    await child.stop()
    finally:
        await connector.stop()
    return {**result, "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]}


def _log_tails(children: list[Child], lines: int = 10) -> str:
    return "\n".join(
        f"--- {child.name}:\n"
        + "\n".join(child.log.read_text(errors="replace").splitlines()[-lines:])
        for child in children
    )


def parse_options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run: " + str(QUICK))
    parser.add_argument("--rounds", type=int, help=f"latency rounds ({FULL['rounds']})")
    parser.add_argument("--turns", type=int, help=f"turns per round ({FULL['turns']})")
    parser.add_argument("--duration", type=float, help="seconds per throughput run (10)")
    parser.add_argument("--throughput-rounds", type=int, help="throughput runs per bot (3)")
    parser.add_argument("--users", help="concurrent users, comma-separated (10,30)")
    parser.add_argument("--rss-turns", help="turns at the RSS readings (1000,10000)")
    parser.add_argument("--warmup", type=int, help="warm-up turns per user and scenario (2)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args(argv)
    for key, value in (QUICK if options.quick else FULL).items():
        if getattr(options, key) is None:
            setattr(options, key, value)
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    try:
        result = asyncio.run(run(options))
    except BenchError as error:
        print(f"bench.turns: {error}", file=sys.stderr)
        return 1
    if options.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
