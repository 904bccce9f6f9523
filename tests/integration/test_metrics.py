"""GET /metrics: turn latency, outcomes, statuses, reminder deliveries, retries, database errors;
open on loopback, behind a bearer token elsewhere; no personal data in any label."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.app import MAX_BODY_BYTES, METRICS, create_app
from bot.metrics import Metrics
from bot.proactive import ProactiveSender
from bot.reminders import ReminderSchedule, make_send
from bot.turns import TurnRunner
from storage.db import create_engine, create_sessionmaker
from storage.demo import fictitious_personnummer
from tests.environment import explicit_settings
from tests.integration.reminder_setup import seed
from tests.integration.scripted_connector import ScriptedConnector, anonymous_connector
from tests.integration.teams import TENANT, USER_AAD, FakeConnector, activity, say

PNR = fictitious_personnummer(date(2008, 3, 9), 61, "kvinna")
FIRST, LAST = "Lovisa", "Mätardotter"
CONVERSATION = "personal-metrics-7"
TOKEN = "skrapa-mig-9f8e7d"
DEAD_STORE = "postgresql+asyncpg://kaa:kaa@127.0.0.1:9/none"  # nothing listens on port 9

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def _scrape(client: TestClient, **headers: str) -> str:
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200, await response.text()
    assert response.content_type == "text/plain"
    return await response.text()


def _samples(text: str) -> Samples:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def _a_few_turns(client: TestClient, connector: FakeConnector) -> None:
    """Messages with a name and a personnummer, a card, a redelivery, an invoke, junk."""
    here = {"conversation_id": CONVERSATION}
    await say(client, connector, "hjälp", **here)
    await say(client, connector, f"visa {PNR}", **here)
    await say(client, connector, f"visa {FIRST} {LAST}", **here)
    await say(client, connector, None, value={"flow": "kontakt", "namn": FIRST, "pnr": PNR}, **here)
    again = activity(connector.url, text=f"registrera {PNR}", **here)
    for _ in range(2):
        assert (await client.post("/api/messages", json=again)).status == 200
    invoke = activity(connector.url, activity_type="invoke", value={"pnr": PNR}, **here)
    assert (await client.post("/api/messages", json=invoke)).status == 400
    junk = await client.post(
        "/api/messages",
        data=f'{{"type": "message", "text": "{PNR}"',
        headers={"Content-Type": "application/json"},
    )
    assert junk.status == 400
    update = activity(connector.url, activity_type="conversationUpdate", **here)
    assert (await client.post("/api/messages", json=update)).status == 200


async def test_turns_show_as_a_histogram_by_kind_and_counts_by_outcome_and_status(
    demo_bot, connector
):
    await _a_few_turns(demo_bot, connector)

    text = await _scrape(demo_bot)
    samples = _samples(text)

    assert 'kaa_turn_seconds_bucket{kind="message",le="0.25"}' in text
    assert _value(samples, "kaa_turn_seconds_count", kind="message") == 5
    assert _value(samples, "kaa_turn_seconds_count", kind="card") == 1
    assert _value(samples, "kaa_turn_seconds_count", kind="invoke") == 1
    assert _value(samples, "kaa_turn_seconds_count", kind="other") == 2
    assert _value(samples, "kaa_turn_seconds_bucket", kind="card", le="+Inf") == 1
    assert _value(samples, "kaa_turn_seconds_sum", kind="message") > 0
    assert _value(samples, "kaa_turns_total", outcome="answered") == 6
    assert _value(samples, "kaa_turns_total", outcome="duplicate") == 1
    assert _value(samples, "kaa_turns_total", outcome="unsupported") == 1
    assert _value(samples, "kaa_turns_total", outcome="invalid") == 1
    assert _value(samples, "kaa_turns_total", outcome="failed") == 0
    assert _value(samples, "kaa_http_responses_total", status="200") == 7
    assert _value(samples, "kaa_http_responses_total", status="400") == 2
    assert _value(samples, "kaa_database_errors_total", source="turn") == 0


async def test_a_body_over_the_limit_and_an_unforeseen_fault_are_counted(
    demo_bot, connector, monkeypatch
):
    huge = b'{"type": "message", "text": "' + b"x" * MAX_BODY_BYTES + b'"}'
    too_large = await demo_bot.post(
        "/api/messages", data=huge, headers={"Content-Type": "application/json"}
    )

    async def unforeseen(self, activity):
        raise RuntimeError("a fault outside the turn's own guard")

    monkeypatch.setattr(TurnRunner, "run", unforeseen)
    fault = await demo_bot.post("/api/messages", json=activity(connector.url, text="hej"))
    samples = _samples(await _scrape(demo_bot))

    assert (too_large.status, fault.status) == (413, 500)
    assert _value(samples, "kaa_http_responses_total", status="413") == 1
    assert _value(samples, "kaa_http_responses_total", status="500") == 1
    assert _value(samples, "kaa_turns_total", outcome="invalid") == 1
    assert _value(samples, "kaa_turns_total", outcome="failed") == 1
    assert _value(samples, "kaa_turn_seconds_count", kind="message") == 1


async def test_no_label_holds_personal_data_or_an_id(demo_bot, connector):
    await _a_few_turns(demo_bot, connector)

    text = await _scrape(demo_bot)

    secrets = {PNR, PNR[2:], f"{PNR[:8]}-{PNR[8:]}", FIRST, LAST, "Alex", "Wilber"}
    secrets |= {CONVERSATION, TENANT, USER_AAD, "user-1", connector.url}
    assert sorted(secret for secret in secrets if secret in text) == []
    label_values = {
        value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        for value in sample.labels.values()
    }
    # Every label value is a word, a number or a bucket bound: nothing a request chose.
    assert all(
        value.replace("_", "").replace(".", "").replace("+", "").isalnum() for value in label_values
    ), label_values
    assert all(len(value) <= 20 for value in label_values), label_values


async def test_a_reminders_run_counts_deliveries_and_the_job(demo_bot, sessionmaker):
    connector = ScriptedConnector()
    await connector.server.start_server()
    client = anonymous_connector()
    try:
        await seed(sessionmaker, connector.url, staff_count=2, cases_per_staff=1, unassigned=1)
        metrics = demo_bot.server.app[METRICS]
        sender = ProactiveSender(client, base_delay=0.01, metrics=metrics)
        schedule = ReminderSchedule(
            sessionmaker,
            make_send(sender),
            "Europe/Stockholm",
            lambda: datetime(2026, 3, 4, 6, 30, tzinfo=UTC),  # 07:30 CET
            metrics=metrics,
        )

        report = await schedule.tick()

        samples = _samples(await _scrape(demo_bot))
    finally:
        await client.close()
        await connector.server.close()
    assert report is not None and report.complete
    assert report.counts() == {"sent": 2, "unassigned": 1}
    assert _value(samples, "kaa_reminder_deliveries_total", status="sent") == 2
    assert _value(samples, "kaa_reminder_deliveries_total", status="unassigned") == 1
    assert _value(samples, "kaa_proactive_sends_total", outcome="sent") == len(connector.delivered)
    assert _value(samples, "kaa_daily_job_last_complete") == 1
    assert 0 < _value(samples, "kaa_daily_job_last_duration_seconds") < 60
    assert _value(samples, "kaa_daily_job_last_run_timestamp_seconds") > 0


async def test_a_reply_the_connector_refused_counts_a_retry(demo_bot):
    connector = ScriptedConnector([(502, {})])
    await connector.server.start_server()
    try:
        response = await demo_bot.post("/api/messages", json=activity(connector.url, text="hjälp"))
        assert response.status == 200
        await _until(lambda: connector.delivered)
        samples = _samples(await _scrape(demo_bot))
    finally:
        await connector.server.close()
    assert _value(samples, "kaa_proactive_retries_total") == 1
    assert _value(samples, "kaa_proactive_sends_total", outcome="sent") == 1
    assert _value(samples, "kaa_turns_total", outcome="answered") == 1


async def _until(condition: Callable[[], object], seconds: float = 10.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the condition never came true")


async def test_a_store_that_does_not_answer_counts_database_errors():
    app = create_app(explicit_settings(database_url=DEAD_STORE, reminders=False))
    async with TestClient(TestServer(app)) as client:
        turn = await client.post("/api/messages", json=activity("http://127.0.0.1:9/", text="hej"))
        health = await client.get("/healthz")
        samples = _samples(await _scrape(client))
    assert (turn.status, health.status) == (503, 503)
    assert _value(samples, "kaa_turns_total", outcome="database_unavailable") == 1
    assert _value(samples, "kaa_http_responses_total", status="503") == 1
    assert _value(samples, "kaa_database_errors_total", source="turn") == 1
    assert _value(samples, "kaa_database_errors_total", source="health") == 1


async def test_a_reminder_run_that_fails_marks_the_job_incomplete():
    metrics = Metrics()
    before = _samples(metrics.exposition("")[0].decode())
    dead = create_engine(DEAD_STORE)

    async def no_send(_reference, _message):
        raise AssertionError("nothing can be planned without the store")

    try:
        schedule = ReminderSchedule(
            create_sessionmaker(dead), no_send, "Europe/Stockholm", metrics=metrics
        )
        await schedule._tick_safely()  # what APScheduler calls every minute
    finally:
        await dead.dispose()
    after = _samples(metrics.exposition("")[0].decode())

    assert math.isnan(_value(before, "kaa_daily_job_last_complete"))
    assert _value(after, "kaa_daily_job_last_complete") == 0
    assert _value(after, "kaa_database_errors_total", source="reminders") == 1


@pytest.mark.parametrize(
    ("host", "token", "authorization", "status"),
    [
        ("127.0.0.1", "", None, 200),
        ("localhost", "", None, 200),
        ("127.0.0.1", TOKEN, None, 401),
        ("127.0.0.1", TOKEN, f"Bearer {TOKEN}", 200),
        ("0.0.0.0", "", None, 404),
        ("0.0.0.0", "", "Bearer ", 404),
        ("0.0.0.0", TOKEN, None, 401),
        ("0.0.0.0", TOKEN, f"Bearer {TOKEN}x", 401),
        ("0.0.0.0", TOKEN, TOKEN, 401),
        ("0.0.0.0", TOKEN, f"Bearer {TOKEN}", 200),
        ("10.1.2.3", TOKEN, f"Bearer {TOKEN}", 200),
    ],
)
async def test_off_loopback_only_with_the_token(start_bot, host, token, authorization, status):
    client = await start_bot(host=host, metrics_token=token)
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = await client.get("/metrics", headers=headers)
    assert response.status == status
    if status == 200:
        assert "kaa_turn_seconds_bucket{" in await response.text()
    if status == 401:
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert "kaa_" not in await response.text()


async def test_two_apps_in_one_process_keep_their_own_counts(start_bot):
    first, second = await start_bot(), await start_bot()
    await first.post("/api/messages", data=b"{", headers={"Content-Type": "application/json"})
    one, two = _samples(await _scrape(first)), _samples(await _scrape(second))
    assert _value(one, "kaa_turns_total", outcome="invalid") == 1
    assert _value(two, "kaa_turns_total", outcome="invalid") == 0
