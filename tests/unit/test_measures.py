"""A measure's fields are written once: the records in storage/measures.py and the table."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from storage.measures import MeasureInput, MeasureRecord, SavedMeasure
from storage.models import Measure

# Columns that are bookkeeping, not what a coordinator documents.
BOOKKEEPING = {"case_id", "revision", "created_at"}


def test_a_saved_measure_has_a_field_for_every_documented_column() -> None:
    columns = set(Measure.__table__.columns.keys()) - BOOKKEEPING
    assert {field.name for field in fields(SavedMeasure)} == columns


def test_the_input_is_the_first_part_of_the_record() -> None:
    entered = [field.name for field in fields(MeasureInput)]
    assert [field.name for field in fields(MeasureRecord)][: len(entered)] == entered


def test_a_row_becomes_a_record() -> None:
    row = Measure(
        id=7,
        measure_type="praktik",
        goal="Prova ett yrke",
        starts_on=date(2026, 3, 5),
        declined=False,
        cancelled=False,
        ended_on=date(2026, 4, 1),
        end_reason="Klar",
    )
    saved = SavedMeasure.of(row)
    assert (saved.id, saved.goal, saved.ended_on, saved.open) == (
        7,
        "Prova ett yrke",
        date(2026, 4, 1),
        False,
    )
    assert saved.label({"praktik": "praktik"}) == "praktik (nr 7, start 2026-03-05)"
    assert MeasureRecord.of(row) == MeasureRecord(
        "praktik",
        goal="Prova ett yrke",
        starts_on=date(2026, 3, 5),
        ended_on=date(2026, 4, 1),
        end_reason="Klar",
    )
