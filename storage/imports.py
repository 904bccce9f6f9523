"""Bulk intake: youths from a CSV or XLSX file, validated row by row, written through the case API.

Reading the file is `storage.import_sheets`; validating is pure (`parse_file`), with the same
field rules as the chat (`storage.youth_fields`); `import_file` writes the valid rows with
`CaseService.register_youth`, **one transaction per row**: a rejected row writes nothing, and a
crash can stop an import only between two rows, never inside one. Importing the same file
again finishes an interrupted import — rows already written are then reported as already known,
so nothing is registered twice — and fills in what a known youth's record lacks (a phone number,
an e-mail address, a guardian, protected identity turned on). A value that differs from the
stored one is reported, never written over.

The first row holds the column names, in any order; they are compared case-insensitively with
å/ä/ö folded and spaces, hyphens and underscores ignored ("Förnamn", "FORNAMN", "för-namn").
Dates may be written 2026-03-15, 20260315, 15/3/2026 or 15.3.2026 (day first), or be real date
cells in XLSX. Reasons for a rejected row never quote the row's values: the summary may be
shown in chat.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from storage import access, codes
from storage.audit import Actor
from storage.caseload import Taken
from storage.cases import CaseError, CaseService, GuardianInput, RegistrationInput
from storage.codes import Role
from storage.eligibility import EligibilityFacts, check_eligibility, turns_20_on
from storage.import_result import ImportResult, KnownRow, RejectedRow
from storage.import_sheets import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    Cell,
    ImportFileError,
    file_kind,
    parse_plain_date,
    read_sheet,
)
from storage.models import Staff
from storage.personnummer import Personnummer, PersonnummerError, parse_personnummer
from storage.swedish_text import SWEDISH_FOLD
from storage.youth_fields import (
    FIELD_LABELS,
    GUARDIAN_FIELDS,
    FieldError,
    clean_guardian,
    clean_youth,
)

# Reading the file is part of this module's interface.
__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "ImportFileError",
    "ImportResult",
    "KnownRow",
    "ParsedFile",
    "RejectedRow",
    "ValidRow",
    "file_kind",
    "import_file",
    "parse_file",
    "parse_plain_date",
    "read_sheet",
    "require_importer",
]

REQUIRED_COLUMNS = ("personnummer", "fornamn", "efternamn")
# The columns holding a youth's or a guardian's fields, and which field each one is.
YOUTH_COLUMNS = {
    "fornamn": "first_name",
    "efternamn": "last_name",
    "skola": "school",
    "adress": "address",
    "postnummer": "postal_code",
    "ort": "city",
    "telefon": "phone",
    "epost": "email",
}
GUARDIAN_COLUMNS = {
    "vardnadshavare_namn": "name",
    "vardnadshavare_telefon": "phone",
    "vardnadshavare_epost": "email",
    "vardnadshavare_adress": "address",
    "vardnadshavare_postnummer": "postal_code",
    "vardnadshavare_ort": "city",
}
OPTIONAL_COLUMNS = (
    "registreringsdatum",
    "orsak",
    "kalla",
    *(column for column in YOUTH_COLUMNS if column not in REQUIRED_COLUMNS),
    *GUARDIAN_COLUMNS,
    "skyddad_identitet",
    "handlaggare",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

_FREE_TEXT = (
    "fornamn",
    "efternamn",
    "skola",
    "adress",
    "ort",
    "epost",
    "vardnadshavare_namn",
    "vardnadshavare_epost",
    "vardnadshavare_adress",
    "vardnadshavare_ort",
)
_COLUMN_LABELS = {
    **{column: FIELD_LABELS[key] for column, key in YOUTH_COLUMNS.items()},
    **{column: GUARDIAN_FIELDS[key].label for column, key in GUARDIAN_COLUMNS.items()},
}
_MAX_STAFF_REFERENCE = Staff.name.type.length
_YES = {"ja", "j", "x", "1", "sant"}
_NO = {"nej", "n", "0", "falskt"}
# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@")

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True)
class ValidRow:
    row: int
    registration: RegistrationInput
    staff: str | None = None


@dataclass(frozen=True)
class ParsedFile:
    rows: tuple[ValidRow, ...]
    rejected: tuple[RejectedRow, ...]
    ignored_columns: tuple[str, ...] = ()


def require_importer(actor: Actor) -> None:
    access.require(
        actor,
        access.CASE_WRITERS,
        "Som chef kan du läsa ärenden men inte läsa in ungdomar från en fil.",
    )


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
    youth = _cleaned(text, YOUTH_COLUMNS, clean_youth, formulas, problems)
    guardian: dict[str, str] = {}
    if text.get("vardnadshavare_namn"):
        guardian = _cleaned(text, GUARDIAN_COLUMNS, clean_guardian, formulas, problems)
    elif any(text.get(column) for column in GUARDIAN_COLUMNS):
        problems.append("Uppgifter om vårdnadshavaren finns men inte vårdnadshavarens namn.")
    if len(text.get("handlaggare", "")) > _MAX_STAFF_REFERENCE:
        problems.append(f"Fältet handläggare är för långt (högst {_MAX_STAFF_REFERENCE} tecken).")

    registered_on = _registration_date(cells.get("registreringsdatum", ""), today, problems)
    # Without a reason or a source the row is registered with "annan".
    reason = _code(
        text.get("orsak", ""), codes.REGISTRATION_REASONS, codes.OTHER, "orsak", problems
    )
    source = _code(text.get("kalla", ""), codes.SOURCES, codes.OTHER, "källa", problems)
    protected = _yes_no(text.get("skyddad_identitet", ""), problems)

    if problems or pnr is None or registered_on is None:
        return problems, None
    if registered_on < pnr.birth_date:
        return ["Registreringsdatumet ligger före födelsedatumet."], None
    if not check_eligibility(EligibilityFacts.from_age(pnr.birth_date), registered_on).eligible:
        return ["På registreringsdagen hörde ungdomen inte till aktivitetsansvaret (åldern)."], None
    registration = RegistrationInput(
        personnummer=pnr.digits,
        first_name=youth.get("first_name") or "",
        last_name=youth.get("last_name") or "",
        registered_on=registered_on,
        registration_reason=reason or codes.OTHER,
        source=source or codes.OTHER,
        school=youth.get("school"),
        address=youth.get("address"),
        postal_code=youth.get("postal_code"),
        city=youth.get("city"),
        phone=youth.get("phone"),
        email=youth.get("email"),
        protected_identity=protected,
        guardians=((GuardianInput(**guardian),) if guardian.get("name") else ()),
    )
    return problems, ValidRow(number, registration, text.get("handlaggare") or None)


def _cleaned(
    text: dict[str, str],
    columns: dict[str, str],
    clean: Callable[[str, str | None], str | None],
    formulas: set[str],
    problems: list[str],
) -> dict[str, str]:
    """The columns' fields, tidied by the shared field rules; what is refused goes to problems."""
    values: dict[str, str] = {}
    for column, key in columns.items():
        if column in formulas:
            continue
        if column not in text and column not in REQUIRED_COLUMNS:
            continue
        try:
            value = clean(key, text.get(column, ""))
        except FieldError as error:
            problems.append(str(error))
            continue
        if value is not None:
            values[key] = value
    return values


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


def _yes_no(value: str, problems: list[str]) -> bool | None:
    """A yes/no cell: None when empty (not said)."""
    folded = value.strip().lower()
    if not folded:
        return None
    if folded in _YES | _NO:
        return folded in _YES
    problems.append("Skyddad identitet ska vara ja eller nej.")
    return None


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
    if matches[0].role == Role.MANAGER:
        return None, "Handläggaren är chef och kan inte ha ärenden."
    return matches[0], None


async def import_file(
    cases: CaseService,
    actor: Actor,
    content: bytes,
    filename: str,
    today: date,
    *,
    default_staff: str | None = None,
) -> ImportResult:
    """Validate the whole file, then register each valid row in a transaction of its own; a
    known youth's empty fields are filled in from the row in that same transaction.

    The `handlaggare` column, or `default_staff` for the rows without one, names who gets a
    new case, and a known active case that has no coordinator yet."""
    require_importer(actor)
    parsed = parse_file(content, filename, today)
    result = ImportResult(rejected=list(parsed.rejected), ignored_columns=parsed.ignored_columns)
    staff = await cases.municipality_staff(actor) if parsed.rows or default_staff else []
    default = None
    if default_staff is not None:
        default, problem = _find_staff(default_staff, staff)
        if default is None:
            raise ImportFileError(problem or "")
    for row in parsed.rows:
        member = default
        if row.staff is not None:
            member, problem = _find_staff(row.staff, staff)
            if member is None:
                result.rejected.append(RejectedRow(row.row, problem or ""))
                continue
        registration = row.registration
        if member is not None:
            registration = replace(registration, assigned_staff_id=member.id)
        try:
            outcome = await cases.register_youth(actor, registration, today=today, complete=True)
        except CaseError as error:
            result.rejected.append(RejectedRow(row.row, str(error)))
            continue
        if outcome.created:
            result.created.append(row.row)
            continue
        closed = outcome.closed_case_id is not None
        known = KnownRow(row.row, outcome.case_id, closed, outcome.filled, outcome.differing)
        if member is not None and not closed:
            known = await _assign_known(cases, actor, known, member)
        result.known.append(known)
    result.rejected.sort(key=lambda rejected: rejected.row)
    return result


async def _assign_known(
    cases: CaseService, actor: Actor, known: KnownRow, member: Staff
) -> KnownRow:
    """The file's coordinator for a known case, only if it has none (storage.caseload)."""
    try:
        await cases.assign(actor, known.case_id, member.id, unassigned_only=True)
    except Taken as taken:
        return known if taken.holder == member.name else replace(known, kept_by=taken.holder)
    return replace(known, assigned_to=member.name)
