"""Writing the routine's letters for an intake: one PDF, and each letter recorded once.

Shared by the chat (`skriv brev`) and the CLI (`kaa-bot brev`). The order matters: the
cases are read (scoped, audited), every letter is filled in and the PDF made in memory,
and only then are kontaktbrev and påminnelsebrev recorded as contact attempts by letter
through the case API — exactly once per letter, recipient and day, so printing the same
letters again records nothing new. A hembesök letter marks the visit's notice as sent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from storage import access, codes
from storage.audit import Actor
from storage.calendar_names import MONTH_NAMES, WEEKDAY_NAMES
from storage.cases import CaseError, CaseService, LetterAttempt
from storage.letters.addressing import Recipient, recipients
from storage.letters.cover import Unaddressed, WrittenLetter, cover_sheet
from storage.letters.kinds import LETTERS, DocumentKind
from storage.letters.letterhead import letter_date, letterhead
from storage.letters.library import DEFAULT_LANGUAGE
from storage.letters.pdf import Letter, render
from storage.letters.selection import Selection, select_cases
from storage.letters.settings import template_library
from storage.letters.template import TemplateError, Value, fill
from storage.models import HomeVisit, KaaCase, Municipality, Staff
from storage.personnummer import format_personnummer
from storage.sessions import transaction

_TIME = r"(\d{1,2})(?:[.:](\d{2}))?"
_TIME_WINDOW = re.compile(rf"(?:kl\.?\s*)?{_TIME}\s*[-–]\s*{_TIME}", re.IGNORECASE)


def parse_time_window(text: str) -> str:
    """ "14-16", "kl. 9.30–11" or "13:00-15:00" as "kl. 14.00–16.00"; CaseError otherwise."""
    match = _TIME_WINDOW.fullmatch(text.strip())
    problem = "Skriv tiden som ett spann, till exempel 14–16 eller 9.30–11."
    if match is None:
        raise CaseError(problem)
    start_h, start_m, end_h, end_m = (int(part or 0) for part in match.groups())
    if max(start_h, end_h) > 23 or max(start_m, end_m) > 59:
        raise CaseError(problem)
    if (start_h, start_m) >= (end_h, end_m):
        raise CaseError("Tidens slut ska ligga efter dess början, till exempel 14–16.")
    return f"kl. {start_h:02d}.{start_m:02d}–{end_h:02d}.{end_m:02d}"


def _visit_day(day: date, language: str) -> str:
    if language != DEFAULT_LANGUAGE:
        return day.isoformat()
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"


def letter_kind(code: str) -> DocumentKind:
    kind = LETTERS.get(code.strip().lower())
    if kind is None:
        raise CaseError(f"Okänt slags brev. Välj något av: {', '.join(LETTERS)}.")
    return kind


@dataclass(frozen=True)
class LetterBatch:
    kind: DocumentKind
    day: date
    pdf: bytes | None
    letters: tuple[WrittenLetter, ...]
    unaddressed: tuple[Unaddressed, ...]
    recorded: int
    case_ids: tuple[int, ...]

    @property
    def file_name(self) -> str:
        return f"{self.kind.code}_{self.day.isoformat()}.pdf"

    def summary(self, *, names: bool) -> list[str]:
        """What was written, in Swedish; with ``names`` False only case numbers (for the
        CLI's output, which may end up in a log)."""

        def who(case_id: int, name: str, counterpart: str) -> str:
            role = codes.label(codes.COUNTERPARTS, counterpart)
            return f"{name} (ärende {case_id}, {role})" if names else f"ärende {case_id} ({role})"

        if not self.case_ids:
            return [f"Det finns inga ärenden att skriva {self.kind.label} för."]
        lines = [
            f"{len(self.letters)} brev ({self.kind.label}) för "
            f"{len({letter.case_id for letter in self.letters})} ungdomar."
        ]
        if self.kind.records_attempt:
            lines.append(
                f"{self.recorded} kontaktförsök med brev registrerades {self.day.isoformat()}."
                if self.recorded
                else "Breven var redan registrerade som kontaktförsök i dag."
            )
        forwarded = [letter for letter in self.letters if letter.via_skatteverket]
        if forwarded:
            lines.append(
                "Skickas via Skatteverket (skyddade personuppgifter): "
                + ", ".join(who(x.case_id, x.recipient, x.counterpart) for x in forwarded)
                + "."
            )
        if self.unaddressed:
            lines.append(
                "Adress saknas, inget brev: "
                + ", ".join(who(x.case_id, x.name, x.counterpart) for x in self.unaddressed)
                + "."
            )
        return lines


@dataclass(frozen=True)
class _Prepared:
    case: KaaCase
    letters: list[tuple[Recipient, Letter]]
    visit: HomeVisit | None


class LetterWriter:
    def __init__(self, cases: CaseService) -> None:
        self._cases = cases

    async def write(
        self,
        actor: Actor,
        kind_code: str,
        selection: Selection,
        today: date,
        *,
        language: str = DEFAULT_LANGUAGE,
        time_window: str | None = None,
    ) -> LetterBatch:
        """Write the letters of one kind for the selected cases, as one PDF."""
        kind = letter_kind(kind_code)
        refusal = "Som chef kan du läsa ärenden men inte skriva brev."
        access.require(actor, access.CASE_WRITERS, refusal)
        if selection.all_new and not kind.for_all_new:
            raise CaseError(f"Ett {kind.label} skrivs för en ungdom i taget, inte för alla nya.")
        if kind.code == "hembesok":
            if time_window is None:
                raise CaseError("Ett hembesöksbrev behöver en tid, till exempel 14–16.")
            time_window = parse_time_window(time_window)
        # Reading for letters is audited: a writing transaction (inside a chat turn, a
        # savepoint in the turn's own).
        async with transaction(self._cases.sessionmaker) as session:
            municipality = await session.get(Municipality, actor.municipality_id)
            if municipality is None:
                raise CaseError("Hittar inte din kommun.")
            head = letterhead(municipality)
            library = template_library(municipality.settings)
            try:
                templates = {
                    guardian: library.template(kind, language, guardian=guardian)
                    for guardian in (False, True)
                }
            except TemplateError as error:
                raise CaseError(str(error)) from error
            cases = await select_cases(session, actor, selection, today, kind.code)
            common = head.values(today, language)
            prepared = []
            for case in cases:
                values = {**common, **_youth_values(case, head.contact.name)}
                visit = None
                if kind.code == "hembesok":
                    visit = _next_visit(case, today)
                    values |= await _visit_values(session, visit, time_window or "", language)
                letters = [
                    (
                        recipient,
                        Letter(
                            head.lines,
                            str(values["datum"]),
                            fill(
                                templates[recipient.is_guardian],
                                {**values, "mottagare": recipient.name},
                            ),
                            recipient.name,
                            recipient.address,
                        ),
                    )
                    for recipient in recipients(case.youth, kind, today)
                ]
                prepared.append(_Prepared(case, letters, visit))
        return await self._finish(actor, kind, today, prepared, head.lines, len(cases) > 1)

    async def _finish(
        self,
        actor: Actor,
        kind: DocumentKind,
        today: date,
        prepared: Sequence[_Prepared],
        heading: tuple[str, ...],
        several: bool,
    ) -> LetterBatch:
        written, unaddressed, pages = [], [], []
        for item in prepared:
            for recipient, letter in item.letters:
                if recipient.address is None:
                    unaddressed.append(
                        Unaddressed(item.case.id, recipient.name, recipient.counterpart)
                    )
                    continue
                pages.append(letter)
                written.append(
                    WrittenLetter(
                        item.case.id,
                        recipient.name,
                        recipient.counterpart,
                        recipient.address.via_skatteverket,
                    )
                )
        pdf = None
        if pages:
            forwarded = any(letter.via_skatteverket for letter in written)
            if several or unaddressed or forwarded:
                cover = cover_sheet(kind, heading, letter_date(today, "sv"), written, unaddressed)
                pages.insert(0, cover)
            pdf = render(pages, kind.title)
        recorded = 0
        for item in prepared:
            done = [recipient for recipient, _ in item.letters if recipient.address is not None]
            if kind.records_attempt and done:
                recorded += await self._cases.log_letter_attempts(
                    actor,
                    item.case.id,
                    today,
                    [
                        LetterAttempt(
                            f"{kind.code}:{today.isoformat()}:{recipient.key}",
                            recipient.counterpart,
                            f"{kind.title} skickat.",
                        )
                        for recipient in done
                    ],
                )
            if item.visit is not None and done:
                await self._cases.record_home_visit_notice(actor, item.visit.id, today)
        return LetterBatch(
            kind,
            today,
            pdf,
            tuple(written),
            tuple(unaddressed),
            recorded,
            tuple(item.case.id for item in prepared),
        )


def _youth_values(case: KaaCase, contact_name: str) -> dict[str, Value]:
    youth = case.youth
    return {
        "förnamn": youth.first_name,
        "efternamn": youth.last_name,
        "namn": f"{youth.first_name} {youth.last_name}",
        "handläggare": case.assigned_staff.name if case.assigned_staff else contact_name,
        "personnummer": format_personnummer(youth.personnummer),
    }


def _next_visit(case: KaaCase, today: date) -> HomeVisit:
    planned = [
        visit
        for visit in case.home_visits
        if visit.visited_on is None and visit.outcome is None and visit.planned_on >= today
    ]
    if not planned:
        raise CaseError(
            f"Ärende {case.id} har inget planerat hembesök framåt i tiden. Planera det först "
            "(skriv **planera hembesök**), med datum och vem som går med."
        )
    return min(planned, key=lambda visit: visit.planned_on)


async def _visit_values(
    session: AsyncSession, visit: HomeVisit, time_window: str, language: str
) -> dict[str, Value]:
    names = []
    for staff_id in (visit.first_staff_id, visit.second_staff_id):
        staff = await session.get(Staff, staff_id) if staff_id is not None else None
        if staff is not None:
            names.append(staff.name)
    visitors = (
        " och ".join(names)
        if len(names) == 2
        else f"{names[0]} och en kollega"
        if names
        else "två av oss"
    )
    return {
        "besöksdag": _visit_day(visit.planned_on, language),
        "tid": time_window,
        "besökare": visitors,
    }
