"""Log lines a collector can parse: zoned times, JSON fields, the turn's tag, no personnummer."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.log_format import (
    JsonFormatter,
    ZonedFormatter,
    configure_logging,
    conversation_tag,
    log_handler,
    turn_logging,
)
from bot.log_privacy import MASK, MaskingFormatter, install_log_privacy
from bot.settings import SettingsError, load_settings
from tests.logging_state import preserved_logging

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CONVERSATION = "a:1Xq9PersonalConversationIdOfSomeone"
ISO_ZONED = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"


def _record(message: str, *args: object, exc_info=None) -> logging.LogRecord:
    return logging.getLogger("kaa.test").makeRecord(
        "kaa.test", logging.WARNING, __file__, 1, message, args, exc_info
    )


def _json(record: logging.LogRecord) -> dict:
    line = JsonFormatter(STOCKHOLM).format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_json_line_has_its_fields_and_a_zoned_time():
    record = _record("sent %d of %s", 3, "4")
    record.created = datetime(2026, 7, 1, 5, 30, 0, 123000, tzinfo=ZoneInfo("UTC")).timestamp()

    entry = _json(record)

    assert entry == {
        "time": "2026-07-01T07:30:00.123+02:00",
        "level": "WARNING",
        "logger": "kaa.test",
        "message": "sent 3 of 4",
    }
    assert datetime.fromisoformat(entry["time"]).utcoffset() == timedelta(hours=2)


def test_a_winter_time_has_its_own_offset():
    record = _record("x")
    record.created = datetime(2026, 1, 15, 12, 0, tzinfo=ZoneInfo("UTC")).timestamp()
    assert _json(record)["time"] == "2026-01-15T13:00:00.000+01:00"


def test_the_json_line_masks_personnummer_in_message_and_traceback():
    try:
        raise ValueError("bad input 20080309-1234")
    except ValueError:
        record = _record("user wrote %s", "0803091234", exc_info=sys.exc_info())
    entry = _json(record)
    assert entry["message"] == f"user wrote {MASK}"
    assert "Traceback" in entry["exception"] and "1234" not in json.dumps(entry)


@pytest.mark.parametrize("text", ["\x19" + "12345678", "\x1b[0m200803091234", 'a "quoted" \\ 12'])
def test_escapes_never_break_the_json_or_hide_a_number(text):
    line = JsonFormatter(STOCKHOLM).format(_record("%s", text))
    message = json.loads(line)["message"]
    assert "200803091234" not in message
    # Installing the privacy masking leaves the JSON formatter as it is, so nothing masks
    # the encoded text (where \u0019 followed by digits looks like a personnummer).
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(JsonFormatter(STOCKHOLM))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        install_log_privacy()
        assert type(handler.formatter) is JsonFormatter
        json.loads(handler.format(_record("%s", text)))
    finally:
        root.removeHandler(handler)


def test_the_text_format_shows_the_time_with_its_offset():
    line = ZonedFormatter(STOCKHOLM).format(_record("hello"))
    assert re.fullmatch(ISO_ZONED + " WARNING kaa.test hello", line), line


def test_a_turn_tags_its_lines_with_an_id_and_a_hashed_conversation():
    formatter = JsonFormatter(STOCKHOLM)
    with turn_logging(CONVERSATION) as first:
        one, two = (json.loads(formatter.format(_record(m))) for m in ("one", "two"))
    with turn_logging(CONVERSATION) as second:
        three = json.loads(formatter.format(_record("three")))
    after = json.loads(formatter.format(_record("after")))

    assert one["turn"] == two["turn"] == first.turn != second.turn == three["turn"]
    assert one["conversation"] == three["conversation"] == conversation_tag(CONVERSATION)
    assert CONVERSATION not in json.dumps([one, two, three])
    assert "turn" not in after and "conversation" not in after
    assert conversation_tag("a:other") != conversation_tag(CONVERSATION)


@pytest.mark.parametrize("conversation", [f"conversation-{n}" for n in range(200)])
def test_tags_are_never_taken_for_a_personnummer(conversation):
    with turn_logging(conversation) as tag:
        assert MASK not in JsonFormatter(STOCKHOLM).format(_record("x"))
    assert re.fullmatch(r"[\w-]{16}", tag.conversation)
    assert re.fullmatch(r"[\w-]{16}", tag.turn)


async def test_tasks_started_in_a_turn_carry_its_tag():
    formatter = JsonFormatter(STOCKHOLM)

    async def later() -> dict:
        await asyncio.sleep(0)
        return json.loads(formatter.format(_record("in the background")))

    with turn_logging(CONVERSATION) as tag:
        task = asyncio.create_task(later())
    assert (await task)["turn"] == tag.turn


@contextmanager
def bare_root() -> Iterator[logging.Logger]:
    """The root logger without pytest's handlers, as a fresh process has it; then restored.
    (Inside the test: pytest puts its handlers back between a fixture and the test.)"""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    scheduler_level = logging.getLogger("apscheduler").level
    root.handlers.clear()
    with preserved_logging("sqlalchemy.engine.Engine", "aiosqlite"):
        try:
            yield root
        finally:
            root.handlers[:] = handlers
            root.setLevel(level)
            logging.getLogger("apscheduler").setLevel(scheduler_level)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_serving_setup(log_format):
    with bare_root() as root:
        configure_logging(log_format, "Europe/Stockholm")
        [handler] = root.handlers
        assert root.level == logging.INFO
        assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
        assert logging.getLogger("apscheduler.scheduler").isEnabledFor(logging.WARNING)
    assert isinstance(handler.formatter, MaskingFormatter)
    line = handler.format(_record("pnr %s", "200803091234"))
    if log_format == "json":
        assert json.loads(line)["message"] == f"pnr {MASK}"
    else:
        assert line.endswith(f"kaa.test pnr {MASK}")


@pytest.mark.parametrize(
    ("line", "status", "kept"),
    [
        ("GET /healthz HTTP/1.1", 200, False),
        ("GET /metrics HTTP/1.1", 200, False),
        ("GET /metrics HTTP/1.1", 401, True),
        ("GET /healthz HTTP/1.1", 503, True),
        ("POST /api/messages HTTP/1.1", 200, True),
        ("GET /metricsx HTTP/1.1", 200, True),
    ],
)
def test_answered_probes_leave_the_access_log(line, status, kept):
    with bare_root(), preserved_logging("aiohttp.access"):
        configure_logging("text", "Europe/Stockholm")
        record = logging.makeLogRecord(
            {"name": "aiohttp.access", "msg": f'127.0.0.1 "{line}" {status}', "levelno": 20}
        )
        record.first_request_line, record.response_status = line, status
        assert bool(logging.getLogger("aiohttp.access").filter(record)) is kept


def test_a_handler_writes_where_it_is_told():
    stream = io.StringIO()
    handler = log_handler("json", "Europe/Stockholm", stream)
    handler.emit(_record("one"))
    handler.emit(_record("two"))
    assert [json.loads(line)["message"] for line in stream.getvalue().splitlines()] == [
        "one",
        "two",
    ]


def test_an_unknown_log_format_is_named_in_swedish():
    with pytest.raises(SettingsError, match="KAA_LOG_FORMAT: måste vara text eller json"):
        load_settings(log_format="xml")
