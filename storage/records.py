"""Plain records read from rows: a dataclass whose fields the row has as attributes."""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Self


class FromRow:
    """Mixed into a dataclass: `of(row)` copies the row's attribute of each field."""

    @classmethod
    def of(cls, row: object) -> Self:
        values: dict[str, Any] = {field.name: getattr(row, field.name) for field in fields(cls)}
        return cls(**values)
