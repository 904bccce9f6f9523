"""Proactive sends against a local connector: retries on throttling, stale on 403."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

from bot.proactive import ProactiveSender, retry_after
from scheduler.messages import SendOutcome
from tests.bound_random import Bound
from tests.integration.reminder_setup import reference
from tests.integration.scripted_connector import DROP, ScriptedConnector, anonymous_connector


async def _send(script, **options):
    connector = ScriptedConnector(script)
    await connector.server.start_server()
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(seconds)

    client = anonymous_connector()
    sender = ProactiveSender(
        client,
        sleep=sleep,
        **{"base_delay": 0.05, "rng": random.Random(4), **options},
    )
    try:
        outcome = await sender.send(
            reference(connector.url, "personal-1", "aad-1"), {"type": "message", "text": "Hej"}
        )
    finally:
        await client.close()
        await connector.server.close()
    return outcome, connector, waits


async def test_429_twice_then_200_arrives_exactly_once():
    outcome, connector, waits = await _send(
        [(429, {"Retry-After": "0.3"}), (429, {"Retry-After": "0.3"})]
    )

    assert outcome == SendOutcome.SENT
    assert len(connector.requests) == 3
    assert [activity["text"] for activity in connector.delivered] == ["Hej"]
    assert len(waits) == 2 and all(wait >= 0.3 for wait in waits)


async def test_passing_gateway_errors_are_retried_with_growing_backoff():
    outcome, connector, waits = await _send([(502, {}), (504, {}), (412, {})], base_delay=1.0)

    assert outcome == SendOutcome.SENT
    assert len(connector.delivered) == 1 and len(connector.requests) == 4
    # Full jitter below a ceiling that doubles: 1 s, 2 s, 4 s.
    assert all(0 <= wait <= ceiling for wait, ceiling in zip(waits, (1.0, 2.0, 4.0), strict=True))


async def test_backoff_doubles_up_to_the_cap_and_jitters_below_it():
    _outcome, _connector, highest = await _send(
        [(502, {})] * 5, base_delay=0.01, max_delay=0.05, rng=Bound(high=True)
    )
    _outcome, _connector, lowest = await _send([(502, {})] * 5, rng=Bound(high=False))

    assert highest == [0.01, 0.02, 0.04, 0.05]
    assert lowest == [0.0, 0.0, 0.0, 0.0]


async def test_a_dropped_connection_is_retried_like_a_502():
    outcome, connector, waits = await _send([(DROP, {}), (DROP, {})])

    assert outcome == SendOutcome.SENT
    assert [activity["text"] for activity in connector.delivered] == ["Hej"]
    assert len(waits) == 2


async def test_giving_up_after_the_last_attempt_is_a_failure():
    outcome, connector, _waits = await _send([(429, {})] * 3, max_attempts=3)

    assert outcome == SendOutcome.FAILED
    assert len(connector.requests) == 3 and connector.delivered == []


async def test_403_is_stale_without_retrying():
    outcome, connector, waits = await _send([(403, {})])

    assert outcome == SendOutcome.STALE
    assert len(connector.requests) == 1 and waits == []


async def test_a_client_error_is_not_retried():
    outcome, connector, _waits = await _send([(400, {})])

    assert outcome == SendOutcome.FAILED
    assert len(connector.requests) == 1


def test_retry_after_as_seconds_or_http_date():
    now = datetime(2026, 3, 4, 6, 0, 0, tzinfo=UTC)

    assert retry_after("7", now) == 7.0
    assert retry_after("Wed, 04 Mar 2026 06:00:12 GMT", now) == 12.0
    assert retry_after("snart", now) is None
    assert retry_after(None, now) is None
