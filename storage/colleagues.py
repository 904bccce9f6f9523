"""A staff member as the dialogs and the file import see a colleague: a plain record."""

from __future__ import annotations

from dataclasses import dataclass

from storage.records import FromRow


@dataclass(frozen=True)
class Colleague(FromRow):
    id: int
    name: str
    role: str
    aad_object_id: str
