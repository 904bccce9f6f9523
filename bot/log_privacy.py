"""Defence in depth for the logs: no personnummer and no stored data in any log output.

The code never logs personal data on purpose; this catches what slips through anyway:
whatever looks like a personnummer is masked in every handler's output (a library quoting a
request, an exception quoting what a user typed), and database drivers may not log rows or
bound values even when someone turns on DEBUG everywhere.
"""

from __future__ import annotations

import logging
import re

MASK = "[personnummer]"

# 10 or 12 digits, optionally with - or + before the last four, not part of a longer number.
_PERSONNUMMER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def mask_personnummer(text: str) -> str:
    return _PERSONNUMMER.sub(MASK, text)


class MaskingFormatter(logging.Formatter):
    """Wraps a handler's formatter and masks its whole output, traceback included."""

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return mask_personnummer(self.inner.format(record))


class _NoDriverData(logging.Filter):
    """Drops what database drivers log about data: result rows, and aiosqlite's call traces
    (which carry the bound values). SQL statements themselves hold no values."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "aiosqlite":
            return record.levelno > logging.DEBUG
        return not str(record.msg).startswith("Row ")


_DRIVER_LOGGERS = ("sqlalchemy.engine.Engine", "aiosqlite")
_DRIVER_FILTER = _NoDriverData()


def install_log_privacy() -> None:
    """Mask every handler of the root logger and silence driver data; idempotent."""
    for handler in logging.getLogger().handlers:
        if not isinstance(handler.formatter, MaskingFormatter):
            handler.setFormatter(MaskingFormatter(handler.formatter))
    for name in _DRIVER_LOGGERS:
        logger = logging.getLogger(name)
        if _DRIVER_FILTER not in logger.filters:
            logger.addFilter(_DRIVER_FILTER)
