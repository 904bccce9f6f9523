"""How well one-line reports are understood, and how many turns a contact takes.

Reads every sentence of the table in tests/unit/sentence_table.py and prints:

- how many are read exactly as the table expects (reports and not-reports);
- the share of the reports understood completely: nothing left to ask but `ja`;
- the turns to log a contact: today's contact flow typed one by one (the command, one answer
  per step, `ja`), against one sentence and `ja`, and what the table's contact sentences
  take (one sentence, a question when unsure, a pick when several youths fit or none was
  named, one answer per missing field, `ja`).

    .venv/bin/python -m bench.sentences
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import mean, median

from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from dialogs.contact import contact_flow
from dialogs.context import FlowContext
from dialogs.sentence import Kind, Report, read_report
from storage.audit import Actor
from storage.cases import CaseService
from tests.unit.sentence_table import NAMES, NOT_REPORTS, REPORTS, TODAY

# Turns that are not a flow step: the command that starts a flow today, the sentence.
_OPENING = 1


@dataclass(frozen=True)
class Measure:
    reports: int
    reports_as_expected: int
    not_reports: int
    not_reports_as_expected: int
    complete: int
    complete_by_kind: dict[Kind, tuple[int, int]]
    contact_turns_today: int
    contact_turns_by_sentence: list[int]

    @property
    def complete_share(self) -> float:
        return self.complete / self.reports


def contact_turns_today() -> int:
    """The command, then each step of the contact flow answered on its own (the last: `ja`).

    The flow is only built, never run: the store behind it is never opened.
    """
    sessionmaker = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))
    actor = Actor(label="bench", municipality_id=None, role="coordinator")
    flow = contact_flow(FlowContext(CaseService(sessionmaker), actor))
    return _OPENING + len(flow.steps)


def turns(report: Report) -> int:
    """The turns to save a report: the sentence, the question when unsure, the pick of the
    youth, one answer per missing field, and `ja`."""
    asked = len([field for field in report.missing if field != "youth"])
    pick = len(report.case_ids) > 1 or not report.youth_said
    return _OPENING + (not report.sure) + pick + asked + 1


def measure() -> Measure:
    read = [(row, read_report(row.text, NAMES, TODAY)) for row in REPORTS]
    by_kind: Counter[Kind] = Counter(row.kind for row in REPORTS)
    complete_by_kind: Counter[Kind] = Counter(row.kind for row, got in read if got.complete)
    return Measure(
        reports=len(REPORTS),
        reports_as_expected=sum(got == row.expected() for row, got in read),
        not_reports=len(NOT_REPORTS),
        not_reports_as_expected=sum(
            read_report(text, NAMES, TODAY) == Report() for text in NOT_REPORTS
        ),
        complete=sum(got.complete for _row, got in read),
        complete_by_kind={kind: (complete_by_kind[kind], n) for kind, n in by_kind.items()},
        contact_turns_today=contact_turns_today(),
        contact_turns_by_sentence=[turns(got) for _row, got in read if got.kind == Kind.CONTACT],
    )


def main() -> None:
    result = measure()
    print(f"Rapporter i tabellen: {result.reports}, lästa som väntat: {result.reports_as_expected}")
    print(
        f"Inte rapporter (frågor, kommandon, planer, småprat): {result.not_reports}, "
        f"lästa som väntat: {result.not_reports_as_expected}"
    )
    print(
        f"Helt förstådda (en mening + ja): {result.complete} av {result.reports} "
        f"({result.complete_share:.0%})"
    )
    for kind, (complete, n) in result.complete_by_kind.items():
        print(f"  {kind.value}: {complete} av {n}")
    contact = result.contact_turns_by_sentence
    print(f"Turer för en kontakt, fråga för fråga idag: {result.contact_turns_today}")
    print("Turer för en kontakt, en helt förstådd mening: 2")
    print(
        f"Turer för tabellens {len(contact)} kontakter: medel {mean(contact):.1f}, "
        f"median {median(contact):g}, högst {max(contact)}"
    )


if __name__ == "__main__":
    main()
