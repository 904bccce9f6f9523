"""The SCB half-year file: one row per youth in KAA at any time during the half-year.

The variables (DESIGN §2) per youth, from the youth's latest case in the half-year:

- registration reason and the occupation at registration (the occupation row in force
  on the registration day; when the first one was recorded later, that first one);
- whether there was an established contact on or before the cut-off (the
  deregistration day, or the end of the half-year), and the occupation in force on
  the latest such contact;
- the measures that started on or before the cut-off (SCB codes, comma-separated),
  whether the first measure offered was declined, and the occupation in force on the
  day after the latest measure that ended on or before the cut-off;
- the deregistration day and reason when the case was deregistered by the end of
  the half-year.

Codes come from the period's TOML file (``storage.scb.codelists``). Before anything is
written, ``check`` lists every row with missing or inconsistent data the way SCB's
upload checks would; a missing value is never written as a silent blank.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

from sqlalchemy import Date, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access, codes
from storage.audit import Actor, record_reads
from storage.case_errors import NotAllowed
from storage.eligibility import turns_20_on
from storage.json_rows import (
    Days,
    JsonRows,
    as_json_rows,
    fetch_json_document,
    fetch_json_rows,
    parse_json_rows,
)
from storage.models import (
    ContactEvent,
    HomeVisit,
    KaaCase,
    Measure,
    Municipality,
    Occupation,
    Youth,
)
from storage.scb.calendar import ScbCalendar
from storage.scb.codelists import CodeLists
from storage.scb.periods import ReportingPeriod
from storage.sessions import SessionSource, transaction


# Named tuples rather than frozen dataclasses: the SCB deadline reminder builds one of each
# for every case in the country's half-year, and a tuple is several times cheaper to build.
class OccupationRow(NamedTuple):
    kind: str
    valid_from: date


class MeasureRow(NamedTuple):
    measure_type: str
    starts_on: date | None
    ended_on: date | None
    declined: bool


class ScbCase(NamedTuple):
    """One youth's latest case in the half-year, as plain values."""

    case_id: int
    municipality_id: int
    youth_name: str
    personnummer: str
    gender: str
    birth_date: date
    registered_on: date
    registration_reason: str
    deregistered_on: date | None
    deregistration_reason: str | None
    latest_contact_on: date | None
    occupations: tuple[OccupationRow, ...] = ()
    measures: tuple[MeasureRow, ...] = ()


@dataclass(frozen=True)
class Problem:
    """A row SCB's checks would refuse; ``row`` is its line in the file (1 = first youth)."""

    row: int
    case_id: int
    youth_name: str
    message: str


@dataclass
class ScbFile:
    municipality_code: str
    period: ReportingPeriod
    code_lists: CodeLists
    rows: list[dict[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"KAA_{self.municipality_code}_{self.period.code}.txt"

    def to_bytes(self) -> bytes:
        """The data file: a header line, then one line per youth, in the period's layout."""
        separator = self.code_lists.separator
        output = io.StringIO()
        output.write(separator.join(self.code_lists.columns) + "\r\n")
        for row in self.rows:
            output.write(separator.join(row[c] for c in self.code_lists.columns) + "\r\n")
        return output.getvalue().encode("utf-8")


def _in_force(occupations: tuple[OccupationRow, ...], day: date) -> OccupationRow | None:
    for occupation in reversed(occupations):
        if occupation.valid_from <= day:
            return occupation
    return None


def build_row(
    case: ScbCase, municipality_code: str, period: ReportingPeriod, lists: CodeLists
) -> tuple[dict[str, str], list[str]]:
    """The file's values for one youth, and what SCB's checks would refuse in them."""
    problems: list[str] = []
    if not case.personnummer.isdigit():
        problems.append(
            "personuppgifterna är gallrade – ungdomen kan inte rapporteras; "
            "gallringstiden är kortare än rapporteringen kräver"
        )

    def coded(table: str, value: str | None, what: str) -> str:
        code = lists.code(table, value)
        if code is None:
            label = value or "saknas"
            problems.append(f"{what} ({label}) har ingen SCB-kod för {period.code}")
            return ""
        return code

    not_applicable = lists.tables["ej_aktuell"]
    turns_20 = turns_20_on(case.birth_date)
    deregistered = case.deregistered_on is not None and case.deregistered_on <= period.end
    cutoff = case.deregistered_on if deregistered and case.deregistered_on else period.end

    at_registration = _in_force(case.occupations, case.registered_on) or (
        case.occupations[0] if case.occupations else None
    )
    if at_registration is None:
        problems.append("sysselsättning vid registrering saknas")
        registration_occupation = ""
    else:
        registration_occupation = coded(
            "sysselsattning", at_registration.kind, "sysselsättning vid registrering"
        )

    contacted = case.latest_contact_on is not None
    if case.latest_contact_on is not None:
        latest = _in_force(case.occupations, case.latest_contact_on)
        if latest is None:
            problems.append("sysselsättning vid senaste kontakten saknas")
            latest_occupation = ""
        else:
            if latest.kind == "okand":
                problems.append("sysselsättningen är okänd trots etablerad kontakt")
            latest_occupation = coded("sysselsattning", latest.kind, "sysselsättning vid kontakt")
    else:
        latest_occupation = not_applicable["kontakt"]

    measures = [m for m in case.measures if m.starts_on is None or m.starts_on <= cutoff]
    offered = [m for m in measures if not m.declined]
    if offered and not contacted:
        problems.append("insatser finns men ingen etablerad kontakt är dokumenterad")
    measure_codes = sorted({coded("atgard", m.measure_type, "insats") for m in offered})
    declined_first = (
        coded("ja_nej", "ja" if measures[0].declined else "nej", "tackat nej")
        if measures
        else not_applicable["atgard"]
    )
    ended = [m.ended_on for m in offered if m.ended_on is not None and m.ended_on <= cutoff]
    if ended:
        after = _in_force(case.occupations, max(ended) + timedelta(days=1))
        if after is None:
            problems.append("sysselsättning efter avslutad insats saknas")
            after_measure = ""
        else:
            after_measure = coded("sysselsattning", after.kind, "sysselsättning efter insats")
    else:
        after_measure = not_applicable["sysselsattning_efter_atgard"]

    if deregistered:
        if case.deregistered_on and case.deregistered_on < case.registered_on:
            problems.append("avregistreringsdatumet ligger före registreringsdatumet")
        if not case.deregistration_reason:
            problems.append("avregistreringsorsak saknas")
        elif case.deregistration_reason == "fyllt_20" and case.deregistered_on is not None:
            if case.deregistered_on < turns_20:
                problems.append("avregistrerad som ”fyllt 20 år” före 20-årsdagen")
        deregistration_day = case.deregistered_on.isoformat() if case.deregistered_on else ""
        deregistration_reason = coded(
            "avregistreringsorsak", case.deregistration_reason, "avregistreringsorsak"
        )
    else:
        deregistration_day = ""
        deregistration_reason = not_applicable["avregistrering"]
    if case.registered_on >= turns_20:
        problems.append("registrerad efter 20-årsdagen")

    values = {
        "kommunkod": municipality_code,
        "personnummer": case.personnummer,
        "kon": coded("kon", case.gender, "kön"),
        "registreringsdatum": case.registered_on.isoformat(),
        "registreringsorsak": coded(
            "registreringsorsak", case.registration_reason, "registreringsorsak"
        ),
        "sysselsattning_vid_registrering": registration_occupation,
        "kontakt": coded("ja_nej", "ja" if contacted else "nej", "kontakt"),
        "sysselsattning_senaste_kontakt": latest_occupation,
        "atgarder": ",".join(measure_codes) if offered else not_applicable["atgard"],
        "tackat_nej_forsta_atgard": declined_first,
        "sysselsattning_efter_atgard": after_measure,
        "avregistreringsdatum": deregistration_day,
        "avregistreringsorsak": deregistration_reason,
    }
    return values, problems


# Cases checked between turns of the event loop when only counting (incomplete_counts).
_SLICE = 200


@cache
def _reads(by_municipality: bool, by_staff: bool) -> tuple[JsonRows, JsonRows, JsonRows]:
    """The file's three reads — cases, occupations, measures — with bound parameters.

    Built once per shape: for a small municipality, building SQLAlchemy statements costs
    more than running them, and the national export runs them for every municipality.
    The latest established contact is a correlated ``max`` per case: it reads each case's
    own contacts through the ``case_id`` index instead of joining every contact to its
    case. Occupations and measures are read for every case in the period (the caller
    keeps the chosen ones), which plans far better than repeating the latest-case subquery.
    """
    start, end = bindparam("start", type_=Date), bindparam("end", type_=Date)
    in_scope = [
        KaaCase.registered_on <= end,
        or_(KaaCase.deregistered_on.is_(None), KaaCase.deregistered_on >= start),
    ]
    if by_municipality:
        in_scope.append(KaaCase.municipality_id == bindparam("municipality_id"))
    latest = (
        select(func.max(KaaCase.id).label("case_id")).where(*in_scope).group_by(KaaCase.youth_id)
    ).subquery()
    chosen = select(latest.c.case_id)
    if by_staff:
        chosen = chosen.join(KaaCase, KaaCase.id == latest.c.case_id).where(
            KaaCase.assigned_staff_id == bindparam("staff_id")
        )
        in_scope.append(KaaCase.assigned_staff_id == bindparam("staff_id"))
    cutoff = func.coalesce(KaaCase.deregistered_on, end)
    last_contact = (
        select(func.max(ContactEvent.occurred_on))
        .where(
            ContactEvent.case_id == KaaCase.id,
            ContactEvent.outcome.in_(codes.ESTABLISHING_OUTCOMES),
            ContactEvent.counterpart.in_(codes.ESTABLISHING_COUNTERPARTS),
            ContactEvent.occurred_on <= cutoff,
            ContactEvent.occurred_on <= end,
        )
        .scalar_subquery()
    )
    last_visit = (
        select(func.max(HomeVisit.visited_on))
        .where(
            HomeVisit.case_id == KaaCase.id,
            HomeVisit.outcome.in_(codes.ESTABLISHING_HOME_VISIT_OUTCOMES),
            HomeVisit.visited_on <= cutoff,
            HomeVisit.visited_on <= end,
        )
        .scalar_subquery()
    )
    cases = (
        select(
            KaaCase.id,
            KaaCase.municipality_id,
            Youth.first_name,
            Youth.last_name,
            Youth.personnummer,
            Youth.gender,
            Youth.birth_date,
            KaaCase.registered_on,
            KaaCase.registration_reason,
            KaaCase.deregistered_on,
            KaaCase.deregistration_reason,
            last_contact,
            last_visit,
        )
        .join(Youth, Youth.id == KaaCase.youth_id)
        .where(KaaCase.id.in_(chosen))
    )
    occupations = (
        select(Occupation.case_id, Occupation.valid_from, Occupation.id, Occupation.kind)
        .join(KaaCase, KaaCase.id == Occupation.case_id)
        .where(*in_scope)
    )
    measures = (
        select(
            Measure.case_id,
            Measure.id,
            Measure.measure_type,
            Measure.starts_on,
            Measure.ended_on,
            Measure.declined,
        )
        .join(KaaCase, KaaCase.id == Measure.case_id)
        # A measure called off before it started never happened: it is no åtgärd.
        .where(*in_scope, Measure.cancelled.is_(False))
    )
    # Each read as one JSON document (storage/json_rows.py): the SCB deadline reminder reads
    # the whole country's half-year while the day's reminders are worked out.
    return as_json_rows(cases), as_json_rows(occupations), as_json_rows(measures)


async def _load_cases(
    session: AsyncSession,
    municipality_id: int | None,
    period: ReportingPeriod,
    staff_id: int | None = None,
) -> Iterator[ScbCase]:
    """Every youth's latest case in KAA during the period, with what the file needs; each
    built as it is taken, since the reminder's count keeps none of them.

    Three set-based queries on the Core connection: a municipality's file has thousands
    of rows, and the ORM's row handling would cost more than the queries.
    """
    cases, occupation_rows, measure_rows = _reads(municipality_id is not None, staff_id is not None)
    parameters: dict[str, object] = {"start": period.start, "end": period.end}
    if municipality_id is not None:
        parameters["municipality_id"] = municipality_id
    if staff_id is not None:
        parameters["staff_id"] = staff_id
    connection = await session.connection()
    rows = await fetch_json_document(connection, cases, parameters)
    day = Days()
    # Of every case in the period's scope: the few that are not a youth's latest go unused.
    # Kept as tuples of plain values until a case is built: the cycle collector then
    # has nothing to scan in them while the day's reminders are planned beside.
    occupations: dict[int, tuple[tuple[str, int, str], ...]] = {}
    for case_id, valid_from, row_id, kind in await fetch_json_rows(
        connection, occupation_rows, parameters
    ):
        occupations[case_id] = (*occupations.get(case_id, ()), (valid_from, row_id, kind))
    measures: dict[int, tuple[tuple[int, str, str | None, str | None, bool], ...]] = {}
    for case_id, row_id, kind, starts_on, ended_on, declined in await fetch_json_rows(
        connection, measure_rows, parameters
    ):
        measures[case_id] = (
            *measures.get(case_id, ()),
            (row_id, kind, starts_on, ended_on, declined),
        )
    return (
        ScbCase(
            case_id,
            municipality,
            f"{first_name} {last_name}",
            personnummer,
            gender,
            day[birth_date],
            day[registered_on],
            reason,
            day[deregistered_on],
            deregistration_reason,
            day[max(contact, visit) if contact and visit else contact or visit],
            # In the order the rows were written: by day, then as entered.
            tuple(
                OccupationRow(kind, day[valid_from])  # type: ignore[arg-type]
                for valid_from, _id, kind in sorted(occupations[case_id])
            )
            if case_id in occupations
            else (),
            tuple(
                MeasureRow(kind, day[starts_on], day[ended_on], bool(declined))
                for _id, kind, starts_on, ended_on, declined in sorted(measures[case_id])
            )
            if case_id in measures
            else (),
        )
        for (
            case_id,
            municipality,
            first_name,
            last_name,
            personnummer,
            gender,
            birth_date,
            registered_on,
            reason,
            deregistered_on,
            deregistration_reason,
            contact,
            visit,
        ) in parse_json_rows(rows, cases.width)
    )


def assemble(
    cases: list[ScbCase], municipality_code: str, period: ReportingPeriod, lists: CodeLists
) -> ScbFile:
    result = ScbFile(municipality_code, period, lists)
    # By personnummer, here rather than in SQL: PostgreSQL would spill a large
    # municipality's wide rows to disk, and the reminder's count needs no order.
    ordered = sorted(cases, key=lambda case: (case.personnummer, case.case_id))
    for number, case in enumerate(ordered, start=1):
        values, problems = build_row(case, municipality_code, period, lists)
        result.rows.append(values)
        result.problems += [Problem(number, case.case_id, case.youth_name, p) for p in problems]
    return result


async def scb_file(sessionmaker: SessionSource, actor: Actor, period: ReportingPeriod) -> ScbFile:
    """The checked file for the actor's municipality, by the period's code list; every case
    in it is an audited read."""
    access.require(actor, access.SCB_FILE_MAKERS, "Filen till SCB tar din chef fram.")
    lists = await ScbCalendar(sessionmaker).code_lists(period.code)
    async with transaction(sessionmaker) as session:
        connection = await session.connection()
        municipality_code = await connection.scalar(
            select(Municipality.code).where(Municipality.id == actor.municipality_id)
        )
        if municipality_code is None:
            raise LookupError("the actor has no municipality")
        cases = list(await _load_cases(session, actor.municipality_id, period))
        await record_reads(
            session, actor, "report.scb", [c.case_id for c in cases], detail=period.code
        )
    return assemble(cases, municipality_code, period, lists)


async def scb_check(sessionmaker: SessionSource, actor: Actor, period: ReportingPeriod) -> ScbFile:
    """The export's check on the actor's own cases only (the rows are for its problems,
    not for SCB); each checked case is audited."""
    if actor.staff_id is None:
        raise NotAllowed("Kontrollen gäller en handläggares egna ärenden, och du har inga.")
    lists = await ScbCalendar(sessionmaker).code_lists(period.code)
    async with transaction(sessionmaker) as session:
        cases = list(await _load_cases(session, actor.municipality_id, period, actor.staff_id))
        await record_reads(
            session, actor, "report.scb_check", [c.case_id for c in cases], detail=period.code
        )
    return assemble(cases, "", period, lists)


async def incomplete_counts(
    session: AsyncSession,
    period: ReportingPeriod,
    lists: CodeLists,
    municipality_ids: list[int] | None = None,
) -> dict[int, int]:
    """Per municipality, how many cases of the period SCB's checks would refuse.

    Counts only, for the SCB deadline reminder: nothing is shown, so nothing is audited.
    """
    wanted = None if municipality_ids is None else set(municipality_ids)
    result: dict[int, int] = {}
    only = municipality_ids[0] if municipality_ids and len(municipality_ids) == 1 else None
    for number, case in enumerate(await _load_cases(session, only, period), start=1):
        if wanted is None or case.municipality_id in wanted:
            if build_row(case, "", period, lists)[1]:
                result[case.municipality_id] = result.get(case.municipality_id, 0) + 1
        if not number % _SLICE:
            # The daily job counts beside its planning and the bot's chat turns: let them
            # have the event loop between slices instead of after the whole country.
            await asyncio.sleep(0)
    return result
