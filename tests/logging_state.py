"""The CLI changes process-wide logging; tests that run it put everything back afterwards."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def preserved_logging(*logger_names: str) -> Iterator[None]:
    """Restore the root handlers' formatters and the named loggers' filters on exit."""
    root = logging.getLogger()
    formatters = [(handler, handler.formatter) for handler in root.handlers]
    filters = {name: list(logging.getLogger(name).filters) for name in logger_names}
    try:
        yield
    finally:
        for handler, formatter in formatters:
            handler.setFormatter(formatter)
        for name, saved in filters.items():
            logging.getLogger(name).filters[:] = saved
