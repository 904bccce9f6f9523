"""A statement's rows as one JSON document, built by the database.

Large reads that run beside Python work use it. Row by row, the sqlite3 driver
needs Python's interpreter lock for every row it hands over, so a read waits
while Python computes and the two never overlap; one JSON value is computed
in a single step without the lock and parsed in C afterwards. On PostgreSQL
it saves the per-row decoding as well.

The values come back as JSON gives them: numbers, strings (dates as ISO
text, see Days), booleans (0/1 on SQLite).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class _JsonRows(FunctionElement[str]):
    """Aggregate: one flat JSON array of every row's values, row after row."""

    type = String()
    name = "json_rows"
    inherit_cache = True


# Each row's values as a JSON array without its brackets, joined with commas into one flat
# array: parsed, it is a single list of plain values. An array per row would be a list per
# row, and thousands of lists made at once in one parse outlive the cycle collector's
# young generations and are scanned again in every full collection while the bot runs.
@compiles(_JsonRows, "sqlite")
def _sqlite(element: _JsonRows, compiler: SQLCompiler, **kw: Any) -> str:
    row = f"trim(json_array({compiler.process(element.clauses, **kw)}), '[]')"
    return f"'[' || group_concat({row}, ',') || ']'"


@compiles(_JsonRows, "postgresql")
def _postgresql(element: _JsonRows, compiler: SQLCompiler, **kw: Any) -> str:
    row = f"trim(both '[]' from json_build_array({compiler.process(element.clauses, **kw)})::text)"
    return f"'[' || string_agg({row}, ',') || ']'"


@dataclass(frozen=True)
class JsonRows:
    """A statement whose rows come as one JSON text, and how many values a row has."""

    statement: Select[tuple[str]]
    width: int


def as_json_rows(statement: Select[Any]) -> JsonRows:
    """``statement``'s rows, in its column order, as one JSON value (see fetch_json_rows)."""
    rows = statement.subquery()
    return JsonRows(select(_JsonRows(*rows.c)), len(rows.c))


async def fetch_json_document(
    connection: AsyncConnection, rows: JsonRows, values: dict[str, object]
) -> str:
    """The JSON text of the rows, unparsed: a read done ahead of its use holds one string
    rather than thousands of Python objects."""
    document = await connection.scalar(rows.statement, values)
    # No rows: the aggregate gives NULL.
    return "[]" if document is None else document


def parse_json_rows(document: str, width: int) -> Iterator[tuple[Any, ...]]:
    """Each row of a fetched document as a tuple of its ``width`` values."""
    values = json.loads(document)
    return zip(*[iter(values)] * width, strict=True)


async def fetch_json_rows(
    connection: AsyncConnection, rows: JsonRows, values: dict[str, object]
) -> list[tuple[Any, ...]]:
    """The rows of an as_json_rows statement, each a tuple of JSON values."""
    return list(parse_json_rows(await fetch_json_document(connection, rows, values), rows.width))


class Days(dict[str | None, date | None]):
    """ISO date text to dates, each distinct text parsed once.

    ``days[text]`` is the date (None for None). A read has a million dates but only
    some hundred distinct days.
    """

    def __missing__(self, text: str | None) -> date | None:
        day = None if text is None else date.fromisoformat(text)
        self[text] = day
        return day
