"""How log lines look: text, or one JSON object per line for a log collector.

Both show the time in ISO 8601 with its offset, in the bot's time zone. A JSON line has
``time``, ``level``, ``logger`` and ``message``, and within a turn ``turn`` (an id new for
each activity, carried into every line of that turn, including its retries in the
background: they inherit the turn's context) and ``conversation`` (a hash of the
conversation id, never the id itself). The masking of bot.log_privacy applies to both.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import cached_property
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.log_privacy import MaskingFormatter, install_log_privacy, mask_personnummer

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class TurnTag:
    """A turn's id and its conversation's hash, made when its first line is written: a turn
    that logs nothing costs no hashing."""

    def __init__(self, conversation_id: str) -> None:
        self._conversation_id = conversation_id

    @cached_property
    def turn(self) -> str:
        return _text_id(secrets.token_bytes(12))

    @cached_property
    def conversation(self) -> str:
        return conversation_tag(self._conversation_id)


_TURN: ContextVar[TurnTag | None] = ContextVar("kaa_log_turn", default=None)


def _text_id(raw: bytes) -> str:
    # URL-safe base64: the personnummer mask would need ten digits in a row (p < 1e-8).
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def conversation_tag(conversation_id: str) -> str:
    """The same short tag for the same conversation, across restarts and instances."""
    return _text_id(hashlib.sha256(conversation_id.encode()).digest()[:12])


@contextmanager
def turn_logging(conversation_id: str) -> Iterator[TurnTag]:
    """Tag every line logged inside (and in tasks started inside) as one turn's."""
    tag = TurnTag(conversation_id)
    token = _TURN.set(tag)
    try:
        yield tag
    finally:
        _TURN.reset(token)


def zoned_time(created: float, zone: ZoneInfo) -> str:
    return datetime.fromtimestamp(created, zone).isoformat(timespec="milliseconds")


class ZonedFormatter(logging.Formatter):
    """The text format, with the time in ISO 8601 and its offset."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__(TEXT_FORMAT)
        self._zone = zone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return zoned_time(record.created, self._zone)


class JsonFormatter(MaskingFormatter):
    """One JSON object per line. It masks each field before encoding, because an escape in
    the encoded text (``\\u0019``) could join digits the mask would then take for a
    personnummer and break the line; install_log_privacy leaves a MaskingFormatter as it is."""

    def __init__(self, zone: ZoneInfo) -> None:
        super().__init__()
        self._zone = zone

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": zoned_time(record.created, self._zone),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        tag = _TURN.get()
        if tag is not None:
            entry["turn"], entry["conversation"] = tag.turn, tag.conversation
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        masked = {name: mask_personnummer(value) for name, value in entry.items()}
        return json.dumps(masked, ensure_ascii=False)


class _NoProbes(logging.Filter):
    """Drops the access log's lines of answered health checks and metric scrapes: a scraper
    and the container's health check would otherwise write several lines a minute."""

    def filter(self, record: logging.LogRecord) -> bool:
        line = getattr(record, "first_request_line", "")
        answered = int(getattr(record, "response_status", 500)) < 400
        return not (answered and line.startswith(_PROBES))


_PROBES = ("GET /healthz ", "GET /metrics ")
_NO_PROBES = _NoProbes()


def log_handler(
    log_format: str, timezone: str, stream: TextIO | None = None
) -> logging.StreamHandler[TextIO]:
    """A handler writing ``log_format`` ("text" or "json") to ``stream`` (stderr)."""
    zone = ZoneInfo(timezone)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(zone) if log_format == "json" else ZonedFormatter(zone))
    return handler


def configure_logging(log_format: str, timezone: str) -> None:
    """The serving process's logging: INFO and above to stderr, masked."""
    logging.basicConfig(level=logging.INFO, handlers=[log_handler(log_format, timezone)])
    # Two lines a minute for each reminder tick otherwise; its warnings and errors stay.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    access = logging.getLogger("aiohttp.access")
    if _NO_PROBES not in access.filters:
        access.addFilter(_NO_PROBES)
    install_log_privacy()
