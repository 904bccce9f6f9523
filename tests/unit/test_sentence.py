"""The one-line report reader on the table of real-sounding sentences, and on what must
never become a report."""

from __future__ import annotations

import pytest

from bench.sentences import measure, turns
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


def test_the_measure_counts_the_turns_of_a_contact() -> None:
    result = measure()
    # "logga kontakt", then youth, date, channel, counterpart, outcome, occupation, note, ja.
    assert result.contact_turns_today == 9
    assert (result.reports_as_expected, result.not_reports_as_expected) == (
        result.reports,
        result.not_reports,
    )
    complete = read_report("ringde Elin igår men fick inget svar", NAMES, TODAY)
    assert complete.complete and turns(complete) == 2
    hinted = read_report("Elin svarade inte", NAMES, TODAY)
    # The sentence, "ja" to the question, the channel, "ja" to the summary.
    assert not hinted.complete and turns(hinted) == 4
    assert min(result.contact_turns_by_sentence) == 2 and 0 < result.complete <= result.reports
