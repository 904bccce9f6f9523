"""Tables as XLSX and CSV files, safe to open in a spreadsheet program."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

Cell = str | int | float | None
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 60


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Table:
    """A titled table: what a board member reads, with the period it covers."""

    title: str
    subtitle: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]


def to_csv(table: Table) -> bytes:
    """``;``-separated UTF-8 with a BOM, which Excel in Sweden opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in table.headers])
    for row in table.rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    """One sheet: title, subtitle, an empty row, bold headers, the rows; columns sized to fit."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([neutralise(table.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([neutralise(table.subtitle)])
    sheet.append([])
    sheet.append([neutralise(header) for header in table.headers])
    header_row = 4
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        sheet.append([neutralise(cell) for cell in row])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    for index, header in enumerate(table.headers, start=1):
        values = [header, *(row[index - 1] for row in table.rows if len(row) >= index)]
        width = max(len(str(value)) for value in values if value is not None)
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
