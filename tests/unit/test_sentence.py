"""The one-line report reader on the table of real-sounding sentences, and on what must
never become a report."""

from __future__ import annotations

import pytest

from dialogs.sentence import Report, read_report
from tests.unit.sentence_table import NAMES, NOT_REPORTS, REPORTS, TODAY, Row


def test_the_table_is_large_enough() -> None:
    assert len(REPORTS) + len(NOT_REPORTS) >= 150
    assert len(REPORTS) >= 100


@pytest.mark.parametrize("row", REPORTS, ids=lambda row: row.text)
def test_report(row: Row) -> None:
    assert read_report(row.text, NAMES, TODAY) == row.expected()


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_not_a_report(text: str) -> None:
    assert read_report(text, NAMES, TODAY) == Report()
