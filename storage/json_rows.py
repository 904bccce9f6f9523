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
from datetime import date
from typing import Any

from sqlalchemy import Select, String, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class _JsonRows(FunctionElement[str]):
    """Aggregate: a JSON array with one array per row of its arguments' values."""

    type = String()
    name = "json_rows"
    inherit_cache = True


@compiles(_JsonRows, "sqlite")
def _sqlite(element: _JsonRows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(_JsonRows, "postgresql")
def _postgresql(element: _JsonRows, compiler: SQLCompiler, **kw: Any) -> str:
    # As text, as SQLite gives it: the caller decides when to parse (see fetch_json_document).
    return f"json_agg(json_build_array({compiler.process(element.clauses, **kw)}))::text"


def as_json_rows(statement: Select[Any]) -> Select[tuple[str]]:
    """``statement``'s rows, in its column order, as one JSON value (see fetch_json_rows)."""
    rows = statement.subquery()
    return select(_JsonRows(*rows.c))


async def fetch_json_document(
    connection: AsyncConnection, statement: Select[tuple[str]], values: dict[str, object]
) -> str:
    """The text of an as_json_rows statement's document, unparsed: a read done ahead of its
    use holds one string rather than thousands of Python objects for the collector to scan."""
    document = await connection.scalar(statement, values)
    # No rows: SQLite gives an empty array, PostgreSQL's json_agg gives NULL.
    return "[]" if document is None else document


def parse_json_rows(document: str) -> list[list[Any]]:
    return json.loads(document)


async def fetch_json_rows(
    connection: AsyncConnection, statement: Select[tuple[str]], values: dict[str, object]
) -> list[list[Any]]:
    """The rows of an as_json_rows statement, as lists of JSON values."""
    return parse_json_rows(await fetch_json_document(connection, statement, values))


class Days(dict[str | None, date | None]):
    """ISO date text to dates, each distinct text parsed once.

    ``days[text]`` is the date (None for None). A read has a million dates but only
    some hundred distinct days.
    """

    def __missing__(self, text: str | None) -> date | None:
        day = None if text is None else date.fromisoformat(text)
        self[text] = day
        return day
