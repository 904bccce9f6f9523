"""SCB's data file layout and code lists for one period, read from that period's TOML file.

Beside ``[period]`` the file holds ``[file]`` (``separator`` and the ``columns`` in
order) and one table per code list, mapping our stored codes to SCB's codes. A new
code list from SCB is a change of the data file only.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from storage.scb.periods import PeriodFileError

TABLES = (
    "kon",
    "ja_nej",
    "ej_aktuell",
    "registreringsorsak",
    "sysselsattning",
    "atgard",
    "avregistreringsorsak",
)


@dataclass(frozen=True)
class CodeLists:
    period_code: str
    separator: str
    columns: tuple[str, ...]
    tables: dict[str, dict[str, str]]

    def code(self, table: str, value: str | None) -> str | None:
        """SCB's code for our ``value`` in ``table``, or None when the period has none."""
        return self.tables[table].get(value or "")


def load_code_lists(period_code: str, directory: Path | None = None) -> CodeLists:
    """The code lists of ``period_code``; PeriodFileError (Swedish) when missing or broken."""
    if directory is None:
        return _bundled(period_code)
    return _read(directory / f"{period_code}.toml", period_code)


@cache
def _bundled(period_code: str) -> CodeLists:
    entry = resources.files(__package__) / f"{period_code}.toml"
    return _read(entry, period_code)


def _read(entry: Any, period_code: str) -> CodeLists:
    name = f"{period_code}.toml"
    if not entry.is_file():
        raise PeriodFileError(f"Det finns ingen SCB-periodfil {name} med kodlistor.")
    try:
        document = tomllib.loads(entry.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise PeriodFileError(f"SCB-periodfilen {name} går inte att läsa: {error}") from error
    layout = document.get("file")
    if not isinstance(layout, dict):
        raise PeriodFileError(f"SCB-periodfilen {name} saknar tabellen [file].")
    columns = layout.get("columns")
    separator = layout.get("separator")
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise PeriodFileError(f"SCB-periodfilen {name}: [file].columns ska vara en lista med namn.")
    if not isinstance(separator, str) or len(separator) != 1:
        raise PeriodFileError(f"SCB-periodfilen {name}: [file].separator ska vara ett tecken.")
    tables: dict[str, dict[str, str]] = {}
    for table in TABLES:
        values = document.get(table)
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise PeriodFileError(
                f"SCB-periodfilen {name} saknar kodlistan [{table}] med koder som text."
            )
        tables[table] = values
    return CodeLists(period_code, separator, tuple(columns), tables)
