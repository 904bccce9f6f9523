"""Users of `bench.turns` talking to the bots: warm-up, rounds of timed turns, concurrent load.

One driver per KAA bot process and its store. It counts the card submissions the KAA bot
answered, so the benchmark can check that each wrote exactly one contact.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

from aiohttp import ClientSession

from bench.activities import SCENARIOS, Activities, User
from bench.connector import LocalConnector, TurnResult, timed_turn
from bench.demo_store import DemoPlan, DemoStore
from bench.processes import BenchError, Child

BOT = "bot"
ECHO = "echo"


class Driver:
    def __init__(
        self,
        http: ClientSession,
        connector: LocalConnector,
        children: dict[str, Child],
        store: DemoStore,
        plan: DemoPlan,
        activities: Activities,
        warmup_turns: int,
    ) -> None:
        self.http = http
        self.connector = connector
        self.children = children
        self.store = store
        self.plan = plan
        self.activities = activities
        # The first warm-up turn of each scenario learns how many replies it gives, the
        # next ones check that it stays so.
        self.warmup_turns = warmup_turns
        self.contacts_sent = 0
        self.turns_served = {name: 0 for name in children}
        self._expected: dict[tuple[str, str], int] = {}
        self._next_scenario: dict[User, int] = {}

    async def turn(self, user: User, scenario: str) -> TurnResult:
        key = (user.conversation, scenario)
        try:
            result = await timed_turn(
                self.http,
                self.children[user.target].messages_url,
                self.connector.inbox(user.conversation),
                self.activities.body(user, scenario),
                self._expected.get(key),
            )
        except BenchError as error:
            raise BenchError(f"{scenario}, {user.conversation}: {error}") from error
        self.turns_served[user.target] += 1
        if user.target == BOT and scenario == "kontakt":
            self.contacts_sent += 1
        if key not in self._expected:
            self._expected[key] = len(result.bodies)
            if user.target == BOT and scenario == "visa":
                self._require_card(result.replies())
        return result

    def _require_card(self, replies: list[dict[str, Any]]) -> None:
        if not any(reply.get("attachments") for reply in replies):
            raise BenchError(f"'visa {self.plan.visa_name}' did not answer with the case card")

    async def prepare(self, users: Sequence[User], listing: Sequence[User]) -> None:
        """Warm up: every user writes once (which makes the bot's users staff), the listed
        cases are shared out among `listing`, then every user warms up every scenario."""
        await asyncio.gather(*(self.turn(user, "hjälp") for user in users))
        for user in users:
            # A user's very first turn may answer differently: learn from the next ones.
            del self._expected[(user.conversation, "hjälp")]
        await self.store.assign(self.plan, [user.aad_object_id for user in listing])

        async def warm(user: User) -> None:
            for _ in range(self.warmup_turns):
                for scenario in SCENARIOS:
                    await self.turn(user, scenario)

        await asyncio.gather(*(warm(user) for user in users))

    async def round(self, user: User, scenario: str, turns: int) -> dict[str, Any]:
        """`turns` timed turns one after the other, with the bot's CPU time per turn."""
        child = self.children[user.target]
        cpu = child.cpu_seconds()
        samples = [(await self.turn(user, scenario)).seconds for _ in range(turns)]
        return {
            "target": user.target,
            "ms": [round(sample * 1000, 3) for sample in samples],
            "cpu_ms_per_turn": (child.cpu_seconds() - cpu) * 1000 / turns,
        }

    async def load(
        self, users: Sequence[User], *, seconds: float | None = None, turns: int | None = None
    ) -> dict[str, Any]:
        """Each user sends its next turn (the scenarios in turn) as soon as the last one's
        replies are in, until `seconds` have passed or `turns` turns were started."""
        child = self.children[users[0].target]
        cpu, own_cpu = child.cpu_seconds(), time.process_time()
        started = time.perf_counter()
        deadline = started + seconds if seconds is not None else None
        remaining = turns
        done = 0

        async def user_loop(position: int, user: User) -> None:
            nonlocal remaining, done
            while remaining != 0 and (deadline is None or time.perf_counter() < deadline):
                if remaining is not None:
                    remaining -= 1
                # Users start at different scenarios, so the mix is even at every moment.
                index = self._next_scenario.get(user, position)
                self._next_scenario[user] = index + 1
                await self.turn(user, SCENARIOS[index % len(SCENARIOS)])
                done += 1

        await asyncio.gather(*(user_loop(position, user) for position, user in enumerate(users)))
        elapsed = time.perf_counter() - started
        return {
            "target": users[0].target,
            "users": len(users),
            "turns": done,
            "seconds": round(elapsed, 3),
            "turns_per_s": done / elapsed,
            "cpu_ms_per_turn": (child.cpu_seconds() - cpu) * 1000 / max(done, 1),
            # The driver and connector share the machine's cores with the bot under test.
            "driver_cpu_ms_per_turn": (time.process_time() - own_cpu) * 1000 / max(done, 1),
        }

    async def check_contacts(self, before: int) -> int:
        """Every card submission the bot answered wrote exactly one contact."""
        # Time for a reply sent late to arrive and show as a stray.
        await asyncio.sleep(0.2)
        if self.connector.stray_replies():
            raise BenchError(f"{self.connector.stray_replies()} replies arrived after their turn")
        written = await self.store.contacts() - before
        if written != self.contacts_sent:
            raise BenchError(
                f"{self.contacts_sent} contact cards were submitted but {written} contacts "
                "were written"
            )
        return written
