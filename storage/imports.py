"""Bulk intake: youths from a CSV or XLSX file, validated row by row, written through the case API.

Reading and validating are pure (`parse_file`); `import_file` writes the valid rows with
`CaseService.register_youth`, **one transaction per row**: a rejected row writes nothing, and a
crash can stop an import only between two rows, never inside one. Importing the same file
again finishes an interrupted import — rows already written are then reported as already known,
so nothing is registered twice.

The first row holds the column names, in any order; they are compared case-insensitively with
å/ä/ö folded and spaces, hyphens and underscores ignored ("Förnamn", "FORNAMN", "för-namn").
The first worksheet of an XLSX file is read; formulas are never evaluated — a cell that looks
like a formula is refused as a value. Dates may be written 2026-03-15, 20260315, 15/3/2026 or
15.3.2026 (day first), or be real date cells in XLSX. Row numbers in the result are the file's
own (the header is row 1), so they match what a spreadsheet shows. Reasons for a rejected row
never quote the row's values: the summary may be shown in chat.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypeAlias

from openpyxl import load_workbook

from storage import codes
from storage.audit import Actor
from storage.cases import (
    CaseError,
    CaseService,
    GuardianInput,
    NotAllowed,
    RegistrationInput,
)
from storage.contact_details import is_email, is_phone
from storage.eligibility import EligibilityFacts, check_eligibility, turns_20_on
from storage.models import Staff
from storage.personnummer import Personnummer, PersonnummerError, parse_personnummer
from storage.swedish_text import SWEDISH_FOLD

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# A few MB of zipped XML can unpack to gigabytes; a real intake list stays far below this.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 100
DEFAULT_REASON = "annan"
DEFAULT_SOURCE = "annan"

REQUIRED_COLUMNS = ("personnummer", "fornamn", "efternamn")
OPTIONAL_COLUMNS = (
    "registreringsdatum",
    "orsak",
    "kalla",
    "skola",
    "adress",
    "postnummer",
    "ort",
    "telefon",
    "epost",
    "vardnadshavare_namn",
    "vardnadshavare_telefon",
    "vardnadshavare_adress",
    "vardnadshavare_postnummer",
    "vardnadshavare_ort",
    "handlaggare",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

# The longest value each column's database field holds.
_MAX_LENGTH = {
    "fornamn": 100,
    "efternamn": 100,
    "skola": 200,
    "adress": 200,
    "ort": 100,
    "telefon": 40,
    "epost": 200,
    "vardnadshavare_namn": 200,
    "vardnadshavare_telefon": 40,
    "vardnadshavare_adress": 200,
    "vardnadshavare_ort": 100,
    "handlaggare": 200,
}
_COLUMN_LABELS = {
    "fornamn": "förnamn",
    "efternamn": "efternamn",
    "skola": "skola",
    "adress": "adress",
    "ort": "ort",
    "telefon": "telefon",
    "epost": "e-post",
    "vardnadshavare_namn": "vårdnadshavarens namn",
    "vardnadshavare_telefon": "vårdnadshavarens telefon",
    "vardnadshavare_adress": "vårdnadshavarens adress",
    "vardnadshavare_ort": "vårdnadshavarens ort",
    "handlaggare": "handläggare",
}
_FREE_TEXT = (
    "fornamn",
    "efternamn",
    "skola",
    "adress",
    "ort",
    "epost",
    "vardnadshavare_namn",
    "vardnadshavare_adress",
    "vardnadshavare_ort",
)
# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@")

_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_POSTAL_CODE = re.compile(r"(\d{3}) ?(\d{2})")
_XLSX_MAGIC = b"PK\x03\x04"

Cell: TypeAlias = str | date


class ImportFileError(Exception):
    """The file as a whole cannot be read; nothing was written. str(exc) is Swedish."""


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


@dataclass(frozen=True)
class ValidRow:
    row: int
    registration: RegistrationInput
    staff: str | None = None


@dataclass(frozen=True)
class RejectedRow:
    row: int
    reason: str


@dataclass(frozen=True)
class ParsedFile:
    rows: tuple[ValidRow, ...]
    rejected: tuple[RejectedRow, ...]
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownRow:
    row: int
    case_id: int
    closed: bool = False


@dataclass
class ImportResult:
    created: list[int] = field(default_factory=list)
    known: list[KnownRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()

    @property
    def rows_read(self) -> int:
        return len(self.created) + len(self.known) + len(self.rejected)

    def summary(self, max_listed: int | None = None) -> str:
        """The Swedish answer; row numbers and reasons only, never the rows' values."""
        lines = [f"Filen är inläst: {_rows(self.rows_read)} med ungdomar."]
        lines.append(f"- {len(self.created)} nya ungdomar registrerades.")
        lines.append(f"- {len(self.known)} fanns redan i registret och ändrades inte.")
        closed = [known.row for known in self.known if known.closed]
        if closed:
            lines.append(
                f"  - Avslutat ärende på rad {_row_list(closed)} – registrera en ny period "
                "i chatten om ungdomen är tillbaka i aktivitetsansvaret."
            )
        lines.append(f"- {len(self.rejected)} avvisades – inget sparades för dem.")
        shown = self.rejected if max_listed is None else self.rejected[:max_listed]
        lines.extend(f"  - Rad {rejected.row}: {rejected.reason}" for rejected in shown)
        if len(shown) < len(self.rejected):
            lines.append(f"  - … och {_rows(len(self.rejected) - len(shown))} till.")
        if self.ignored_columns:
            lines.append(
                "Kolumner som jag inte känner igen och hoppade över: "
                + ", ".join(self.ignored_columns)
                + "."
            )
        return "\n".join(lines)


def _rows(count: int) -> str:
    return f"{count} rad" if count == 1 else f"{count} rader"


def _row_list(rows: Sequence[int]) -> str:
    return ", ".join(str(row) for row in rows)


def require_importer(actor: Actor) -> None:
    if actor.role == "manager":
        raise NotAllowed("Som chef kan du läsa ärenden men inte läsa in ungdomar från en fil.")


# --- Reading the file -------------------------------------------------------------------------


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


# --- Columns ----------------------------------------------------------------------------------


def _column_key(name: str) -> str:
    return _NOT_ALNUM.sub("", name.strip().lower().translate(SWEDISH_FOLD))


_COLUMN_KEYS = {_column_key(column): column for column in COLUMNS}


def map_columns(headers: Sequence[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """Column name -> index, and the headers that are not ours; ImportFileError when unusable."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        column = _COLUMN_KEYS.get(_column_key(header))
        if column is None:
            if header:
                ignored.append(header)
            continue
        if column in positions:
            raise ImportFileError(f"Kolumnen {column} finns två gånger i rubrikraden.")
        positions[column] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in positions]
    if missing:
        raise ImportFileError(
            "Filen saknar kolumnerna "
            + ", ".join(missing)
            + ". Första raden ska ha kolumnnamnen; de här behövs alltid: "
            + ", ".join(REQUIRED_COLUMNS)
            + "."
        )
    return positions, tuple(ignored)


# --- Validating rows --------------------------------------------------------------------------


def parse_file(content: bytes, filename: str, today: date) -> ParsedFile:
    """Read and validate a whole file without touching the database."""
    sheet = read_sheet(content, filename)
    positions, ignored = map_columns(sheet.headers)
    valid: list[ValidRow] = []
    rejected: list[RejectedRow] = []
    first_row_of: dict[str, int] = {}
    for number, values in sheet.rows:
        cells = {
            column: values[index] if index < len(values) else ""
            for column, index in positions.items()
        }
        problems, row = _validate_row(number, cells, today)
        if row is not None:
            digits = row.registration.personnummer
            if digits in first_row_of:
                problems.append(f"Samma personnummer som på rad {first_row_of[digits]}.")
            else:
                first_row_of[digits] = number
        if problems:
            rejected.append(RejectedRow(number, " ".join(problems)))
        elif row is not None:
            valid.append(row)
    return ParsedFile(rows=tuple(valid), rejected=tuple(rejected), ignored_columns=ignored)


def _validate_row(
    number: int, cells: dict[str, Cell], today: date
) -> tuple[list[str], ValidRow | None]:
    problems: list[str] = []
    text = {column: _text(value) for column, value in cells.items()}

    pnr = _personnummer(text["personnummer"], today, problems)
    formulas = {column for column in _FREE_TEXT if text.get(column, "").startswith(_FORMULA_STARTS)}
    problems.extend(
        f"Fältet {_COLUMN_LABELS[column]} ser ut som en formel (börjar med =, +, - eller @) "
        "– skriv det som vanlig text."
        for column in _FREE_TEXT
        if column in formulas
    )
    for column in ("fornamn", "efternamn"):
        if column in formulas:
            continue
        if not text[column]:
            problems.append(f"{_COLUMN_LABELS[column].capitalize()} saknas.")
        elif any(char.isdigit() for char in text[column]):
            problems.append(f"{_COLUMN_LABELS[column].capitalize()} får inte innehålla siffror.")
    for column, limit in _MAX_LENGTH.items():
        if len(text.get(column, "")) > limit:
            problems.append(f"Fältet {_COLUMN_LABELS[column]} är för långt (högst {limit} tecken).")

    registered_on = _registration_date(cells.get("registreringsdatum", ""), today, problems)
    reason = _code(
        text.get("orsak", ""), codes.REGISTRATION_REASONS, DEFAULT_REASON, "orsak", problems
    )
    source = _code(text.get("kalla", ""), codes.SOURCES, DEFAULT_SOURCE, "källa", problems)
    postal_code = _postal_code(text.get("postnummer", ""), problems)
    guardian_postal_code = _postal_code(text.get("vardnadshavare_postnummer", ""), problems)
    for column in ("telefon", "vardnadshavare_telefon"):
        if text.get(column) and not is_phone(text[column]):
            problems.append(
                f"Fältet {_COLUMN_LABELS[column]} ska vara ett telefonnummer med siffror."
            )
    if text.get("epost") and not is_email(text["epost"]):
        problems.append("E-postadressen ser inte ut som en e-postadress (namn@exempel.se).")
    if text.get("vardnadshavare_telefon") and not text.get("vardnadshavare_namn"):
        problems.append("Vårdnadshavarens telefon finns men inte vårdnadshavarens namn.")

    if problems or pnr is None or registered_on is None:
        return problems, None
    if registered_on < pnr.birth_date:
        return ["Registreringsdatumet ligger före födelsedatumet."], None
    guardian = text.get("vardnadshavare_namn")
    registration = RegistrationInput(
        personnummer=pnr.digits,
        first_name=text["fornamn"],
        last_name=text["efternamn"],
        registered_on=registered_on,
        registration_reason=reason or DEFAULT_REASON,
        source=source or DEFAULT_SOURCE,
        school=text.get("skola") or None,
        address=text.get("adress") or None,
        postal_code=postal_code,
        city=text.get("ort") or None,
        phone=text.get("telefon") or None,
        email=text.get("epost") or None,
        guardians=(
            (
                GuardianInput(
                    name=guardian,
                    phone=text.get("vardnadshavare_telefon") or None,
                    address=text.get("vardnadshavare_adress") or None,
                    postal_code=guardian_postal_code,
                    city=text.get("vardnadshavare_ort") or None,
                ),
            )
            if guardian
            else ()
        ),
    )
    return problems, ValidRow(number, registration, text.get("handlaggare") or None)


def _text(value: Cell) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(value.split())


def _personnummer(value: str, today: date, problems: list[str]) -> Personnummer | None:
    if not value:
        problems.append("Personnummer saknas.")
        return None
    try:
        pnr = parse_personnummer(value, today)
    except PersonnummerError:
        # The parser's own messages quote parts of the number; the summary must not.
        problems.append(
            "Personnumret är ogiltigt – kontrollera antalet siffror, datumet och kontrollsiffran."
        )
        return None
    facts = EligibilityFacts.from_age(pnr.birth_date)
    if not check_eligibility(facts, today).eligible:
        if today >= turns_20_on(pnr.birth_date):
            problems.append("Ungdomen har fyllt 20 år och hör inte till aktivitetsansvaret.")
        else:
            problems.append(
                "Ungdomen är fortfarande i skolpliktig ålder och hör inte till aktivitetsansvaret."
            )
        return None
    return pnr


def parse_plain_date(value: Cell) -> date | None:
    """2026-03-15, 20260315, 15/3/2026 or 15.3.2026; None when it is none of these."""
    if isinstance(value, date):
        return value
    text = value.strip()
    parts: tuple[str, str, str] | None = None
    if match := _ISO_DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text):
        parts = match.group(1), match.group(2), match.group(3)
    elif match := _DAY_FIRST_DATE.fullmatch(text):
        parts = match.group(3), match.group(2), match.group(1)
    if parts is None:
        return None
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _registration_date(value: Cell, today: date, problems: list[str]) -> date | None:
    if isinstance(value, str) and not value.strip():
        return today
    parsed = parse_plain_date(value)
    if parsed is None:
        problems.append(
            "Registreringsdatumet går inte att läsa – skriv det som 2026-03-15, 20260315 "
            "eller 15/3/2026."
        )
    elif parsed > today:
        problems.append("Registreringsdatumet ligger i framtiden.")
        return None
    return parsed


def _fold_label(text: str) -> str:
    return " ".join(_NOT_ALNUM.sub(" ", text.lower().translate(SWEDISH_FOLD)).split())


def _code(
    value: str, table: dict[str, str], default: str, what: str, problems: list[str]
) -> str | None:
    if not value:
        return default
    wanted = _fold_label(value)
    for code, label in table.items():
        if wanted in (_fold_label(code), _fold_label(label)):
            return code
    problems.append(f"Okänd {what}. Använd något av: {', '.join(table.values())}.")
    return None


def _postal_code(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    match = _POSTAL_CODE.fullmatch(value)
    if match is None:
        problems.append("Postnumret ska ha fem siffror, till exempel 582 23.")
        return None
    return match.group(1) + match.group(2)


# --- Writing ----------------------------------------------------------------------------------


def _find_staff(reference: str, staff: Sequence[Staff]) -> tuple[Staff | None, str | None]:
    """The staff member a `handlaggare` cell names (aadObjectId or name), or why not."""
    by_id = [member for member in staff if member.aad_object_id.lower() == reference.lower()]
    wanted = reference.casefold()
    matches = by_id or [
        member for member in staff if " ".join(member.name.split()).casefold() == wanted
    ]
    if not matches:
        return None, "Handläggaren finns inte bland personalen i kommunen."
    if len(matches) > 1:
        return None, (
            "Flera i personalen har det namnet – skriv handläggarens Teams-id (aadObjectId) "
            "i stället."
        )
    if matches[0].role == "manager":
        return None, "Handläggaren är chef och kan inte ha ärenden."
    return matches[0], None


async def import_file(
    cases: CaseService, actor: Actor, content: bytes, filename: str, today: date
) -> ImportResult:
    """Validate the whole file, then register each valid row in a transaction of its own."""
    require_importer(actor)
    parsed = parse_file(content, filename, today)
    result = ImportResult(rejected=list(parsed.rejected), ignored_columns=parsed.ignored_columns)
    staff = await cases.municipality_staff(actor) if parsed.rows else []
    for row in parsed.rows:
        registration = row.registration
        if row.staff is not None:
            member, problem = _find_staff(row.staff, staff)
            if member is None:
                result.rejected.append(RejectedRow(row.row, problem or ""))
                continue
            registration = replace(registration, assigned_staff_id=member.id)
        try:
            outcome = await cases.register_youth(actor, registration)
        except CaseError as error:
            result.rejected.append(RejectedRow(row.row, str(error)))
            continue
        if outcome.created:
            result.created.append(row.row)
        else:
            closed = outcome.closed_case_id is not None
            result.known.append(KnownRow(row.row, outcome.case_id, closed))
    result.rejected.sort(key=lambda rejected: rejected.row)
    return result
