"""SCB's data file layout and code lists, one TOML document per list.

A list names itself and the first half-year it is valid from (``[kodlista]`` with
``namn`` and ``giltig_fran``), then ``[file]`` (``separator`` and the ``columns`` in
order) and one table per code list, mapping our stored codes to SCB's codes. The lists
that ship with the bot are the files in this package; a newer one from SCB is imported
with ``kaa-bot scb kodlista import FILE`` (storage/scb/calendar.py) after
``parse_code_list`` has validated it. A new code list is a change of data only.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from storage import codes
from storage.reports.period import PeriodError, half_year

# Every variable the export knows how to fill (storage/reports/scb.py: build_row).
KNOWN_COLUMNS = (
    "kommunkod",
    "personnummer",
    "kon",
    "registreringsdatum",
    "registreringsorsak",
    "sysselsattning_vid_registrering",
    "kontakt",
    "sysselsattning_senaste_kontakt",
    "atgarder",
    "tackat_nej_forsta_atgard",
    "sysselsattning_efter_atgard",
    "avregistreringsdatum",
    "avregistreringsorsak",
)
# The tables with the stored codes each must (or may) map; None: any code (a
# municipality may have measure types of its own).
TABLES: dict[str, frozenset[str] | None] = {
    "kon": frozenset({"kvinna", "man"}),
    "ja_nej": frozenset({"ja", "nej"}),
    "ej_aktuell": frozenset({"kontakt", "atgard", "sysselsattning_efter_atgard", "avregistrering"}),
    "registreringsorsak": frozenset(codes.REGISTRATION_REASONS),
    "sysselsattning": frozenset(codes.OCCUPATIONS),
    "atgard": None,
    "avregistreringsorsak": frozenset(codes.DEREGISTRATION_REASONS),
}
# Tables where every key must be there: the export writes these for every row.
_COMPLETE = ("kon", "ja_nej", "ej_aktuell")
_NAME = re.compile(r"^[\w.-]{1,40}$")
_SCB_CODE = re.compile(r"^\w{1,4}$")


class CodeListError(ValueError):
    """A code list is missing, broken or contradicts itself (Swedish message)."""


@dataclass(frozen=True)
class CodeLists:
    name: str
    valid_from: str  # the first half-year the list applies to, e.g. "2026H2"
    separator: str
    columns: tuple[str, ...]
    tables: dict[str, dict[str, str]]

    def code(self, table: str, value: str | None) -> str | None:
        """SCB's code for our ``value`` in ``table``, or None when the list has none."""
        return self.tables[table].get(value or "")

    def missing(self) -> list[str]:
        """Stored codes this list gives no SCB code (the export's check lists such rows)."""
        return [
            f"{table}.{code}"
            for table, known in TABLES.items()
            if known is not None
            for code in sorted(known - set(self.tables[table]))
        ]


class _Header(BaseModel):
    model_config = ConfigDict(extra="forbid")

    namn: Annotated[str, Field(pattern=_NAME.pattern)]
    giltig_fran: str

    @field_validator("giltig_fran")
    @classmethod
    def _half_year(cls, value: str) -> str:
        try:
            return half_year(value).code
        except PeriodError as error:
            raise ValueError(str(error)) from error


class _Layout(BaseModel):
    model_config = ConfigDict(extra="forbid")

    separator: Annotated[str, Field(min_length=1, max_length=1)]
    columns: Annotated[list[str], Field(min_length=1)]

    @field_validator("columns")
    @classmethod
    def _known(cls, columns: list[str]) -> list[str]:
        unknown = [c for c in columns if c not in KNOWN_COLUMNS]
        if unknown:
            raise ValueError(f"kolumner som exporten inte känner till: {', '.join(unknown)}")
        if len(set(columns)) != len(columns):
            raise ValueError("en kolumn står två gånger")
        return columns


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kodlista: _Header
    file: _Layout
    kon: dict[str, str]
    ja_nej: dict[str, str]
    ej_aktuell: dict[str, str]
    registreringsorsak: dict[str, str]
    sysselsattning: dict[str, str]
    atgard: dict[str, str]
    avregistreringsorsak: dict[str, str]


# Installed lists are read back from the database for every export: parse each once.
@lru_cache(maxsize=64)
def parse_code_list(text: str, source: str) -> CodeLists:
    """A validated code list from a TOML document; CodeListError (Swedish) names what is
    wrong in ``source`` (the file's name)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CodeListError(f"Kodlistan {source} går inte att läsa som TOML: {error}") from error
    try:
        document = _Document.model_validate(raw)
    except ValidationError as error:
        raise CodeListError(f"Kodlistan {source}: {_swedish(error)}") from error
    tables = {table: getattr(document, table) for table in TABLES}
    for table, known in TABLES.items():
        values = tables[table]
        if known is not None and (unknown := sorted(set(values) - known)):
            raise CodeListError(
                f"Kodlistan {source}: [{table}] har koder som inte finns här: " + ", ".join(unknown)
            )
        if table in _COMPLETE and known and (missing := sorted(known - set(values))):
            raise CodeListError(f"Kodlistan {source}: [{table}] saknar {', '.join(missing)}.")
        if bad := sorted(code for code, scb in values.items() if not _SCB_CODE.match(scb)):
            raise CodeListError(
                f"Kodlistan {source}: [{table}] har SCB-koder som inte är 1–4 tecken: "
                + ", ".join(bad)
            )
    return CodeLists(
        name=document.kodlista.namn,
        valid_from=document.kodlista.giltig_fran,
        separator=document.file.separator,
        columns=tuple(document.file.columns),
        tables=tables,
    )


_MESSAGES = {
    "missing": "saknas",
    "string_type": "ska vara text",
    "dict_type": "ska vara en tabell",
    "list_type": "ska vara en lista",
    "extra_forbidden": "känns inte igen",
    "string_pattern_mismatch": "får bara ha bokstäver, siffror, punkt, - och _",
    "string_too_short": "är för kort",
    "string_too_long": "är för lång",
    "too_short": "är tom",
}


def _swedish(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "filen"
    if first["type"] == "value_error":
        problem = str(first["msg"]).removeprefix("Value error, ")
    else:
        problem = _MESSAGES.get(first["type"], str(first["msg"]))
    return f"{where} {problem}"


@cache
def bundled_code_lists() -> tuple[CodeLists, ...]:
    """The lists that ship with the bot, oldest first."""
    files = [
        entry for entry in resources.files(__package__).iterdir() if entry.name.endswith(".toml")
    ]
    lists = [parse_code_list(entry.read_text(encoding="utf-8"), entry.name) for entry in files]
    return tuple(sorted(lists, key=lambda lists: half_year(lists.valid_from).start))
