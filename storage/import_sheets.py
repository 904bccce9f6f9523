"""Reading an intake file: the header and the non-blank rows of a CSV or XLSX file, as text and
date cells, within limits that keep a hostile file from costing memory or time.

CSV with `;` or `,` (taken from the header line), UTF-8 with or without BOM; the first
worksheet of an XLSX file, read-only, formulas never evaluated. Row numbers are the file's
own (the header is row 1), so they match what a spreadsheet shows.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeAlias

from openpyxl import load_workbook

from storage.dates import DateInputError, unambiguous_date

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# A few MB of zipped XML can unpack to gigabytes; a real intake list stays far below this.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 100
_XLSX_MAGIC = b"PK\x03\x04"

# A spreadsheet may write a date cell as text: an ISO date with a time of day after it.
_ISO_WITH_TIME = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})[ T]\d{1,2}:\d{2}(?::\d{2})?")

Cell: TypeAlias = str | date


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing was written. str(exc) is Swedish."""


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


def read_sheet(content: bytes, filename: str) -> Sheet:
    """The header and non-blank rows of a CSV or XLSX file, or ImportFileError."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"Filen är för stor ({len(content) / 1024 / 1024:.1f} MB). "
            f"Jag läser filer på högst {MAX_FILE_BYTES // 1024 // 1024} MB – dela upp den."
        )
    kind = file_kind(filename)
    if kind == "xlsx":
        rows = _xlsx_rows(content)
    elif kind == "csv":
        rows = _csv_rows(content)
    else:
        raise ImportFileError(
            "Jag kan bara läsa in CSV- och XLSX-filer. Spara listan som .xlsx eller som "
            "”CSV UTF-8” och skicka den igen."
        )
    return _sheet(rows)


def file_kind(filename: str) -> str | None:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return suffix if suffix in {"csv", "xlsx"} else None


def _csv_rows(content: bytes) -> Iterator[list[Cell]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "Filen är inte sparad som UTF-8, så å, ä och ö skulle bli fel. Spara den i Excel "
            "som ”CSV UTF-8 (kommaavgränsad)” och skicka den igen."
        ) from None
    if "\x00" in text:
        raise ImportFileError("Filen ser inte ut att vara en CSV-fil med text.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error:
        raise ImportFileError(
            "CSV-filen går inte att läsa – troligen är ett citattecken inte avslutat."
        ) from None


def _xlsx_rows(content: bytes) -> Iterator[list[Cell]]:
    broken = ImportFileError(
        "Filen gick inte att öppna som en Excel-fil (XLSX). Kontrollera att den är sparad "
        "som .xlsx, eller spara listan som ”CSV UTF-8” och skicka den igen."
    )
    if not content.startswith(_XLSX_MAGIC):
        raise broken
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise broken from None
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError("Excel-filen är för stor uppackad. Dela upp listan i flera filer.")
    # openpyxl raises many exception types on damaged files; all mean the same to the user.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
            try:
                sheet = workbook.worksheets[0]
                for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                    yield [_xlsx_cell(value) for value in values]
            finally:
                workbook.close()
    except ImportFileError:
        raise
    except Exception:
        raise broken from None


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet(rows: Iterable[list[Cell]]) -> Sheet:
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or _is_blank(header):
        raise ImportFileError(
            "Filen är tom eller saknar rubrikrad. Första raden ska ha kolumnnamnen, "
            "till exempel personnummer, fornamn och efternamn."
        )
    data: list[tuple[int, tuple[Cell, ...]]] = []
    for number, values in enumerate(iterator, start=2):
        if _is_blank(values):
            continue
        if number - 1 > MAX_ROWS:
            raise ImportFileError(
                f"Filen har fler än {MAX_ROWS} rader. Dela upp den i flera filer."
            )
        data.append((number, tuple(values)))
    headers = tuple(str(value).strip() for value in header)
    while headers and not headers[-1]:
        headers = headers[:-1]
    return Sheet(headers=headers, rows=tuple(data))


def _is_blank(values: Sequence[Cell]) -> bool:
    return all(isinstance(value, str) and not value.strip() for value in values)


def parse_plain_date(value: Cell) -> date | None:
    """2026-03-15, 20260315, 15/3/2026 or 15.3.2026; None when it is none of these."""
    if isinstance(value, date):
        return value
    text = value.strip()
    if match := _ISO_WITH_TIME.fullmatch(text):
        text = match[1]
    try:
        return unambiguous_date(text)
    except DateInputError:
        return None
