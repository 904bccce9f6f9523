"""Key figures for one municipality and period, every figure split by legal gender.

Period semantics (``start``..``end`` both included; see ``storage.reports.period``):

- A case is *in KAA during the period* when ``registered_on <= end`` and it was not
  deregistered before ``start`` (``deregistered_on`` is empty or ``>= start``).
- A case's *cut-off* is the last day it was in KAA within the period: its
  deregistration day when that falls before ``end``, otherwise ``end``. Status figures
  ("not contacted", "occupation") describe the case on its cut-off.
- A case is *new in the period* when ``start <= registered_on <= end``.
- An *established contact* is a contact with the youth or a guardian that reached
  them (``storage.codes.ESTABLISHING_*``) or a home visit where they were met.
- Youth figures count distinct youths (a youth with two cases counts once);
  registration and measure figures count cases and measures.
- ``kvinna`` / ``man`` is the legal gender from the personnummer.

The indicators:

- ``i_kaa``: youths with a case in KAA during the period.
- ``i_aktivitet``: of those, youths with a measure that was neither declined nor cancelled
  before it started, has a start date on or before the case's cut-off, and had not ended
  before ``start``.
- ``ej_kontaktade``: youths in KAA during the period with a case that had no established
  contact on or before its cut-off ("ej fått kontakt med").
- ``studerar_eller_sysselsatta``: youths whose occupation in force on the cut-off (the
  latest occupation row with ``valid_from`` on or before it) is studies of any kind,
  work, praktik or a measure at another actor (``OCCUPIED``).
- ``ater_till_gymnasiet``: youths in KAA during the period who started upper-secondary
  studies within it: an occupation "studier – nationellt program" or
  "introduktionsprogram" starting between ``start`` and the cut-off, or a case
  deregistered in the period with reason "påbörjat nationellt program".
- ``nya_registreringar``: cases new in the period.
- ``kontakt_inom_4_veckor``: of the new cases, those whose first established contact
  came at most 28 days after registration, whenever it was logged.
- ``median_dagar_till_kontakt``: median days from registration to the first
  established contact over the new cases that have one (empty when none has).
- ``registreringar_per_orsak``: new cases by registration reason.
- ``insatser_per_typ``: measures by type that ran during the period (same test as
  ``i_aktivitet``, counted per measure).
- ``avhopp_per_skola``: new cases registered after a dropout (from a national or an
  introduction programme), by the school recorded on the case ("okänd skola" if none).
- ``nya_per_halvar``: new cases by calendar half-year of registration (``2025H2``).

Every query is set-based and scoped to the actor's municipality; reading the figures
is audited as a report read (aggregates only, so no case is named in the entry).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    distinct,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from storage import codes
from storage.audit import Actor, record
from storage.models import (
    ContactEvent,
    HomeVisit,
    KaaCase,
    Measure,
    Municipality,
    Occupation,
    Youth,
)
from storage.reports.export import Table
from storage.reports.period import Period, half_year_code
from storage.sessions import SessionSource, transaction

GENDERS = ("kvinna", "man")
CONTACT_GOAL_DAYS = 28
DROPOUT_REASONS = ("avbrott_nationellt", "avbrott_introduktion")
OCCUPIED = (
    "studier_nationellt",
    "studier_introduktion",
    "studier_komvux",
    "studier_folkhogskola",
    "studier_annan",
    "arbete",
    "praktik",
    "atgard_annan_aktor",
)
UPPER_SECONDARY = ("studier_nationellt", "studier_introduktion")
UPPER_SECONDARY_DEREGISTRATION = "borjat_nationellt"
UNKNOWN_SCHOOL = "okänd skola"

LABELS = {
    "i_kaa": "Ungdomar i KAA",
    "i_aktivitet": "Ungdomar i aktivitet (pågående insats)",
    "ej_kontaktade": "Ungdomar utan etablerad kontakt",
    "studerar_eller_sysselsatta": "Ungdomar som studerar eller har annan sysselsättning",
    "ater_till_gymnasiet": "Ungdomar som återgått till gymnasiestudier",
    "nya_registreringar": "Nya registreringar",
    "kontakt_inom_4_veckor": "Nya med etablerad kontakt inom 4 veckor",
    "median_dagar_till_kontakt": "Median antal dagar till första etablerade kontakt",
    "registreringar_per_orsak": "Registreringar per orsak",
    "insatser_per_typ": "Insatser per typ",
    "avhopp_per_skola": "Avhopp per skola",
    "nya_per_halvar": "Nya registreringar per halvår",
}


@dataclass(frozen=True)
class Figure:
    """One indicator (or one category of a broken-down indicator) split by gender."""

    key: str
    total: float | None
    kvinna: float | None
    man: float | None
    category: str | None = None
    category_label: str | None = None

    @property
    def label(self) -> str:
        return LABELS[self.key]

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"indicator": self.key, "label": self.label}
        if self.category is not None:
            result["category"] = self.category
            result["category_label"] = self.category_label
        result.update(total=self.total, kvinna=self.kvinna, man=self.man)
        return result


@dataclass(frozen=True)
class KeyFigures:
    municipality_code: str
    municipality_name: str
    period: Period
    figures: tuple[Figure, ...]

    def get(self, key: str, category: str | None = None) -> Figure:
        return next(f for f in self.figures if f.key == key and f.category == category)

    def breakdown(self, key: str) -> list[Figure]:
        return [f for f in self.figures if f.key == key and f.category is not None]

    def to_json(self) -> dict[str, Any]:
        return {
            "municipality": self.municipality_code,
            "period": self.period.code,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "indicators": [figure.to_json() for figure in self.figures],
        }

    def to_table(self) -> Table:
        rows = [(f.label, f.category_label or "", f.total, f.kvinna, f.man) for f in self.figures]
        return Table(
            title=f"Nyckeltal KAA – {self.municipality_name}",
            subtitle=(
                f"Kommun {self.municipality_code}, {self.period.label} "
                f"({self.period.start.isoformat()}–{self.period.end.isoformat()})"
            ),
            headers=("Nyckeltal", "Kategori", "Totalt", "Kvinnor", "Män"),
            rows=rows,
        )


def _split(counts: dict[str, int]) -> tuple[int, int, int]:
    return sum(counts.values()), counts.get("kvinna", 0), counts.get("man", 0)


def _figure(
    key: str, counts: dict[str, int], category: str | None = None, label: str | None = None
) -> Figure:
    total, women, men = _split(counts)
    return Figure(key, total, women, men, category, label)


class _Scope:
    """The SQL building blocks shared by the figures of one municipality and period."""

    def __init__(self, municipality_id: int, period: Period) -> None:
        self.start, self.end = period.start, period.end
        self.in_kaa = and_(
            KaaCase.municipality_id == municipality_id,
            KaaCase.registered_on <= self.end,
            or_(KaaCase.deregistered_on.is_(None), KaaCase.deregistered_on >= self.start),
        )
        self.new = and_(
            KaaCase.municipality_id == municipality_id,
            KaaCase.registered_on.between(self.start, self.end),
        )
        self.cutoff = case(
            (
                and_(KaaCase.deregistered_on.is_not(None), KaaCase.deregistered_on < self.end),
                KaaCase.deregistered_on,
            ),
            else_=literal(self.end),
        )

    def established_by(self, day: ColumnElement[Any]) -> ColumnElement[bool]:
        contact = exists().where(
            ContactEvent.case_id == KaaCase.id,
            ContactEvent.outcome.in_(codes.ESTABLISHING_OUTCOMES),
            ContactEvent.counterpart.in_(codes.ESTABLISHING_COUNTERPARTS),
            ContactEvent.occurred_on <= day,
        )
        visit = exists().where(
            HomeVisit.case_id == KaaCase.id,
            HomeVisit.outcome.in_(codes.ESTABLISHING_HOME_VISIT_OUTCOMES),
            HomeVisit.visited_on <= day,
        )
        return or_(contact, visit)

    def occupation_on(self, day: ColumnElement[Any]) -> ColumnElement[Any]:
        return (
            select(Occupation.kind)
            .where(Occupation.case_id == KaaCase.id, Occupation.valid_from <= day)
            .order_by(Occupation.valid_from.desc(), Occupation.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    def running_measure(self) -> ColumnElement[bool]:
        return and_(
            Measure.case_id == KaaCase.id,
            Measure.declined.is_(False),
            Measure.cancelled.is_(False),
            Measure.starts_on.is_not(None),
            Measure.starts_on <= self.cutoff,
            or_(Measure.ended_on.is_(None), Measure.ended_on >= self.start),
        )


async def _youths_by_gender(
    session: AsyncSession, *conditions: ColumnElement[bool]
) -> dict[str, int]:
    statement = (
        select(Youth.gender, func.count(distinct(KaaCase.youth_id)))
        .join(Youth, Youth.id == KaaCase.youth_id)
        .where(*conditions)
        .group_by(Youth.gender)
    )
    return {gender: count for gender, count in await session.execute(statement)}


async def _grouped(session: AsyncSession, statement: Select[Any]) -> dict[str, dict[str, int]]:
    """(category, gender, count) rows -> {category: {gender: count}}."""
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for category, gender, count in await session.execute(statement):
        result[category][gender] = count
    return result


def _breakdown(key: str, groups: dict[str, dict[str, int]], labels: dict[str, str]) -> list[Figure]:
    ordered = sorted(groups, key=lambda category: (-sum(groups[category].values()), category))
    return [_figure(key, groups[c], c, labels.get(c, c)) for c in ordered]


async def _new_case_contacts(
    session: AsyncSession, scope: _Scope
) -> list[tuple[str, date, date | None]]:
    """(gender, registered_on, first established contact day or None) per new case."""
    new_cases = select(KaaCase.id).where(scope.new)
    contacts = select(
        ContactEvent.case_id.label("case_id"), ContactEvent.occurred_on.label("day")
    ).where(
        ContactEvent.case_id.in_(new_cases),
        ContactEvent.outcome.in_(codes.ESTABLISHING_OUTCOMES),
        ContactEvent.counterpart.in_(codes.ESTABLISHING_COUNTERPARTS),
    )
    visits = select(HomeVisit.case_id.label("case_id"), HomeVisit.visited_on.label("day")).where(
        HomeVisit.case_id.in_(new_cases),
        HomeVisit.outcome.in_(codes.ESTABLISHING_HOME_VISIT_OUTCOMES),
        HomeVisit.visited_on.is_not(None),
    )
    reached = union_all(contacts, visits).subquery()
    first = (
        select(reached.c.case_id, func.min(reached.c.day).label("first_day"))
        .group_by(reached.c.case_id)
        .subquery()
    )
    statement = (
        select(Youth.gender, KaaCase.registered_on, first.c.first_day)
        .join(Youth, Youth.id == KaaCase.youth_id)
        .outerjoin(first, first.c.case_id == KaaCase.id)
        .where(scope.new)
    )
    return [tuple(row) for row in await session.execute(statement)]


def _contact_figures(rows: list[tuple[str, date, date | None]]) -> list[Figure]:
    new: dict[str, int] = defaultdict(int)
    within: dict[str, int] = defaultdict(int)
    days: dict[str, list[int]] = defaultdict(list)
    halves: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for gender, registered_on, first_day in rows:
        new[gender] += 1
        halves[half_year_code(registered_on)][gender] += 1
        if first_day is None:
            continue
        waited = max((first_day - registered_on).days, 0)
        days[gender].append(waited)
        if waited <= CONTACT_GOAL_DAYS:
            within[gender] += 1

    def median(values: list[int]) -> float | None:
        return float(statistics.median(values)) if values else None

    every = [value for values in days.values() for value in values]
    return [
        _figure("nya_registreringar", new),
        _figure("kontakt_inom_4_veckor", within),
        Figure(
            "median_dagar_till_kontakt",
            median(every),
            median(days["kvinna"]),
            median(days["man"]),
        ),
        *(_figure("nya_per_halvar", halves[code], code, code) for code in sorted(halves)),
    ]


async def key_figures(sessionmaker: SessionSource, actor: Actor, period: Period) -> KeyFigures:
    """The board's key figures for the actor's municipality; the read is audited."""
    async with transaction(sessionmaker) as session:
        municipality = await session.get(Municipality, actor.municipality_id)
        if municipality is None:
            raise LookupError("the actor has no municipality")
        scope = _Scope(municipality.id, period)
        in_kaa = await _youths_by_gender(session, scope.in_kaa)
        active = await _youths_by_gender(
            session, scope.in_kaa, exists().where(scope.running_measure())
        )
        not_reached = await _youths_by_gender(
            session, scope.in_kaa, ~scope.established_by(scope.cutoff)
        )
        occupied = await _youths_by_gender(
            session, scope.in_kaa, scope.occupation_on(scope.cutoff).in_(OCCUPIED)
        )
        back_to_school = await _youths_by_gender(
            session,
            scope.in_kaa,
            or_(
                exists().where(
                    Occupation.case_id == KaaCase.id,
                    Occupation.kind.in_(UPPER_SECONDARY),
                    Occupation.valid_from.between(scope.start, scope.cutoff),
                ),
                and_(
                    KaaCase.deregistration_reason == UPPER_SECONDARY_DEREGISTRATION,
                    KaaCase.deregistered_on.between(scope.start, scope.end),
                ),
            ),
        )
        contacts = await _new_case_contacts(session, scope)
        reasons = await _grouped(
            session,
            select(KaaCase.registration_reason, Youth.gender, func.count(KaaCase.id))
            .join(Youth, Youth.id == KaaCase.youth_id)
            .where(scope.new)
            .group_by(KaaCase.registration_reason, Youth.gender),
        )
        measures = await _grouped(
            session,
            select(Measure.measure_type, Youth.gender, func.count(Measure.id))
            .join(KaaCase, scope.running_measure())
            .join(Youth, Youth.id == KaaCase.youth_id)
            .where(scope.in_kaa)
            .group_by(Measure.measure_type, Youth.gender),
        )
        school = func.coalesce(KaaCase.school, UNKNOWN_SCHOOL)
        dropouts = await _grouped(
            session,
            select(school, Youth.gender, func.count(KaaCase.id))
            .join(Youth, Youth.id == KaaCase.youth_id)
            .where(scope.new, KaaCase.registration_reason.in_(DROPOUT_REASONS))
            .group_by(school, Youth.gender),
        )
        record(session, actor, "report.kpi", detail=f"period {period.code}")
    figures = [
        _figure("i_kaa", in_kaa),
        _figure("i_aktivitet", active),
        _figure("ej_kontaktade", not_reached),
        _figure("studerar_eller_sysselsatta", occupied),
        _figure("ater_till_gymnasiet", back_to_school),
        *_contact_figures(contacts),
        *_breakdown("registreringar_per_orsak", reasons, codes.REGISTRATION_REASONS),
        *_breakdown("insatser_per_typ", measures, codes.MEASURE_TYPES),
        *_breakdown("avhopp_per_skola", dropouts, {}),
    ]
    return KeyFigures(municipality.code, municipality.name, period, tuple(figures))
