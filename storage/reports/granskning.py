"""Audit readiness: each case graded the way municipal auditors grade a sample.

Four areas, each *uppfyller*, *uppfyller delvis* or *uppfyller inte* with the concrete
missing items; *ej aktuell* when the area cannot be judged yet (no measure yet, or no
contact to plan with). ``grade_case`` is pure; storage/reports/granskning_cases.py reads
the cases.

- **Kontakt** – the municipality's contact routine (intervals from its settings): a
  first attempt soon after registration, not started with a home visit, and the guardian
  contacted when the youth was under 18 at the first attempt; without
  established contact a follow-up about a month after the first attempt, a home visit
  about two months after it and a follow-up about a month after an unmet visit; once
  reached, regular follow-up. "About" allows ``SLACK_DAYS`` extra days. No contact or
  attempt at all after ``FIRST_ATTEMPT_DAYS`` is *uppfyller inte*.
- **Kartläggning** – a plan with goals, needs, expectations and a follow-up time, and
  for every measure what the youth, the municipality and any other actor are
  responsible for. No plan and no responsibilities at all is *uppfyller inte*.
- **Åtgärder** – every measure has a start and a planned end date, an ended or overdue
  measure an end reason, an "annan åtgärd" a description. No measure documented
  ``FIRST_ATTEMPT_DAYS`` after the plan was due is *uppfyller inte*. A closed case also
  needs a closing reason, no measure left open, and a known occupation at closing.
- **Utvärdering** – every measure has follow-up and evaluation dates, and a measure
  that ended or reached its evaluation date has a documented evaluation with outcome
  and effect. Evaluations due but none documented is *uppfyller inte*.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise

from storage import codes
from storage.eligibility import turns_18_on
from storage.routine import RoutineSettings

UNKNOWN_OCCUPATION = "okand"
SLACK_DAYS = 14
FIRST_ATTEMPT_DAYS = 14
DAYS_PER_MONTH = 30


class Area(StrEnum):
    KONTAKT = "Kontakt"
    KARTLAGGNING = "Kartläggning"
    ATGARDER = "Åtgärder"
    UTVARDERING = "Utvärdering"


class Status(StrEnum):
    UPPFYLLER = "uppfyller"
    DELVIS = "uppfyller delvis"
    INTE = "uppfyller inte"
    EJ_AKTUELL = "ej aktuell"


@dataclass(frozen=True)
class ContactItem:
    on: date
    established: bool
    home_visit: bool = False
    guardian: bool = False  # with the guardian (vårdnadshavare), reached or not


@dataclass(frozen=True)
class PlanItem:
    goals: str | None
    needs: str | None
    expectations: str | None
    follow_up_on: date | None


@dataclass(frozen=True)
class MeasureItem:
    measure_type: str
    description: str | None = None
    youth_responsibility: str | None = None
    municipality_responsibility: str | None = None
    other_actor: str | None = None
    other_actor_responsibility: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    follow_up_on: date | None = None
    evaluate_on: date | None = None
    declined: bool = False
    ended_on: date | None = None
    end_reason: str | None = None
    evaluated_on: date | None = None
    evaluation_outcome: str | None = None
    evaluation_effect: str | None = None

    @property
    def name(self) -> str:
        label = codes.label(codes.MEASURE_TYPES, self.measure_type)
        return f"insats {label[:1].upper()}{label[1:]}"


@dataclass(frozen=True)
class ClosingItem:
    """How a case was closed: the day, the reason and the occupation in force that day."""

    closed_on: date
    reason: str | None
    occupation: str | None  # the stored code, None when none was recorded by then


@dataclass(frozen=True)
class GradingCase:
    """One case as grading sees it: plain values only, contacts in any order."""

    case_id: int
    registered_on: date
    contacts: tuple[ContactItem, ...] = ()
    plan: PlanItem | None = None
    measures: tuple[MeasureItem, ...] = ()
    birth_date: date | None = None  # unknown: the guardian check cannot be made
    closing: ClosingItem | None = None  # None while the case is active


@dataclass(frozen=True)
class AreaGrade:
    status: Status
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseGrade:
    case_id: int
    areas: dict[Area, AreaGrade]

    @property
    def missing(self) -> list[str]:
        return [item for grade in self.areas.values() for item in grade.missing]

    @property
    def missing_any(self) -> bool:
        """Whether an area is not (fully) met."""
        return any(grade.status in (Status.DELVIS, Status.INTE) for grade in self.areas.values())


def _filled(text: str | None) -> bool:
    return bool(text and text.strip())


def _months(count: int) -> timedelta:
    return timedelta(days=count * DAYS_PER_MONTH + SLACK_DAYS)


def grade_contact(case: GradingCase, routine: RoutineSettings, today: date) -> AreaGrade:
    attempts = sorted(case.contacts, key=lambda c: c.on)
    if not attempts:
        if (today - case.registered_on).days <= FIRST_ATTEMPT_DAYS:
            return AreaGrade(Status.UPPFYLLER)
        return AreaGrade(Status.INTE, ("ingen kontakt eller kontaktförsök är dokumenterad",))
    missing: list[str] = []
    first = attempts[0]
    waited = (first.on - case.registered_on).days
    if waited > FIRST_ATTEMPT_DAYS:
        missing.append(f"första kontaktförsöket gjordes {waited} dagar efter registreringen")
    if first.home_visit:
        missing.append("kontakten började med ett hembesök i stället för brev, telefon eller sms")
    if case.birth_date is not None and first.on < turns_18_on(case.birth_date):
        adult = turns_18_on(case.birth_date)
        if not any(c.guardian and c.on < adult for c in attempts):
            missing.append("vårdnadshavaren kontaktades inte fast ungdomen var under 18 år")
    reached = [c.on for c in attempts if c.established]
    before_reached = [c for c in attempts if not reached or c.on <= reached[0]]
    if not reached or reached[0] > first.on:
        missing += _unreached_steps(first.on, before_reached, reached, routine, today)
    if reached:
        missing += _regular_gaps(attempts, reached[0], routine, today)
    return AreaGrade(Status.DELVIS if missing else Status.UPPFYLLER, tuple(missing))


def _unreached_steps(
    first: date,
    tries: list[ContactItem],
    reached: list[date],
    routine: RoutineSettings,
    today: date,
) -> list[str]:
    """The routine's steps while the youth was not reached."""
    missing: list[str] = []
    until = reached[0] if reached else today
    followup_due = first + _months(routine.contact_followup_months)
    if until > followup_due and not any(first < c.on <= followup_due for c in tries):
        missing.append(
            f"uppföljning ca {routine.contact_followup_months} mån efter första försöket saknas"
        )
    visits = [c for c in tries if c.home_visit]
    visit_due = first + _months(routine.home_visit_months)
    if visits and visits[0].on > visit_due and visits[0] is not tries[0]:
        months = round((visits[0].on - first).days / DAYS_PER_MONTH)
        missing.append(
            f"hembesöket gjordes ca {months} mån efter första försöket "
            f"(rutin: ca {routine.home_visit_months})"
        )
    elif not visits and until > visit_due:
        missing.append("hembesök saknas trots att kontakt inte nåtts")
    unmet = [v for v in visits if not v.established]
    if unmet:
        visit = unmet[-1]
        due = visit.on + _months(routine.home_visit_followup_months)
        if until > due and not any(visit.on < c.on <= due for c in tries):
            missing.append("uppföljning efter hembesöket saknas")
    return missing


def _regular_gaps(
    attempts: list[ContactItem], reached: date, routine: RoutineSettings, today: date
) -> list[str]:
    limit = _months(routine.regular_followup_months)
    days = sorted({c.on for c in attempts if c.on >= reached} | {today})
    longest = max(
        (later - earlier for earlier, later in pairwise(days)),
        default=timedelta(0),
    )
    if longest > limit:
        return [
            f"{longest.days} dagar utan uppföljning "
            f"(rutin: var {routine.regular_followup_months}:e månad)"
        ]
    return []


def grade_plan(case: GradingCase, routine: RoutineSettings, today: date) -> AreaGrade:
    measures = [m for m in case.measures if not m.declined]
    responsibilities: list[str] = []
    documented = 0
    for measure in measures:
        checks = [
            (measure.youth_responsibility, "vad ungdomen ansvarar för"),
            (measure.municipality_responsibility, "vad kommunen ansvarar för"),
        ]
        if _filled(measure.other_actor) or _filled(measure.other_actor_responsibility):
            checks.append((measure.other_actor, "vilken annan aktör som ansvarar"))
            checks.append(
                (measure.other_actor_responsibility, "vad den andra aktören ansvarar för")
            )
        for value, what in checks:
            if _filled(value):
                documented += 1
            else:
                responsibilities.append(f"{measure.name} saknar {what}")
    plan = case.plan
    if plan is None or not _filled(plan.goals):
        if not any(c.established for c in case.contacts):
            return AreaGrade(Status.EJ_AKTUELL, ("ingen etablerad kontakt ännu",))
        missing = ("kartläggning med ungdomens mål saknas", *responsibilities)
        return AreaGrade(Status.DELVIS if documented else Status.INTE, missing)
    missing = list(responsibilities)
    if not _filled(plan.needs):
        missing.insert(0, "kartläggningen saknar ungdomens behov")
    if not _filled(plan.expectations):
        missing.insert(0, "kartläggningen saknar ungdomens förväntningar")
    if plan.follow_up_on is None:
        missing.append("kartläggningen saknar tidpunkt för uppföljning")
    return AreaGrade(Status.DELVIS if missing else Status.UPPFYLLER, tuple(missing))


def grade_measures(case: GradingCase, routine: RoutineSettings, today: date) -> AreaGrade:
    measures = [m for m in case.measures if not m.declined]
    if not measures:
        reached = sorted(c.on for c in case.contacts if c.established)
        due = reached[0] + timedelta(weeks=routine.plan_missing_weeks) if reached else None
        if due is not None and today > due + timedelta(days=FIRST_ATTEMPT_DAYS):
            return AreaGrade(Status.INTE, ("ingen insats är dokumenterad",))
        return AreaGrade(Status.EJ_AKTUELL, ("inga insatser ännu",))
    missing: list[str] = []
    undated = 0
    for measure in measures:
        if measure.starts_on is None:
            missing.append(f"{measure.name} saknar startdatum")
        if measure.ends_on is None and measure.ended_on is None:
            missing.append(f"{measure.name} saknar planerat slutdatum")
        if measure.starts_on is None and measure.ends_on is None:
            undated += 1
        ended = measure.ended_on is not None
        overdue = measure.ends_on is not None and measure.ends_on < today
        if (ended or overdue) and not _filled(measure.end_reason):
            missing.append(f"{measure.name} saknar avslutsorsak")
        if measure.measure_type == "annan" and not _filled(measure.description):
            missing.append(f"{measure.name} saknar beskrivning av vad insatsen är")
    if undated == len(measures):
        return AreaGrade(Status.INTE, tuple(missing))
    return AreaGrade(Status.DELVIS if missing else Status.UPPFYLLER, tuple(missing))


def closing_gaps(case: GradingCase) -> list[str]:
    """What an auditor misses in how a case was closed: a reason, no measure left open,
    and the youth's occupation at closing."""
    closing = case.closing
    if closing is None:
        return []
    missing = []
    if not _filled(closing.reason):
        missing.append("ärendet avslutades utan orsak")
    for measure in case.measures:
        if measure.declined:
            continue
        ended = measure.ended_on is not None and measure.ended_on <= closing.closed_on
        if not ended or not _filled(measure.end_reason):
            missing.append(f"{measure.name} var inte avslutad med orsak när ärendet avslutades")
    if closing.occupation is None:
        missing.append("sysselsättning vid avslut saknas")
    elif closing.occupation == UNKNOWN_OCCUPATION:
        missing.append("sysselsättningen vid avslut är okänd")
    return missing


def _with_closing(grade: AreaGrade, case: GradingCase) -> AreaGrade:
    """Åtgärder with the closing checks: a gap there makes a met area only partly met."""
    gaps = closing_gaps(case)
    if not gaps:
        return grade
    status = grade.status if grade.status == Status.INTE else Status.DELVIS
    kept = grade.missing if grade.status != Status.EJ_AKTUELL else ()
    return AreaGrade(status, (*kept, *gaps))


def grade_evaluation(case: GradingCase, routine: RoutineSettings, today: date) -> AreaGrade:
    measures = [m for m in case.measures if not m.declined]
    if not measures:
        return AreaGrade(Status.EJ_AKTUELL, ("inga insatser att utvärdera",))
    missing: list[str] = []
    due = evaluated_due = 0
    for measure in measures:
        if measure.follow_up_on is None:
            missing.append(f"{measure.name} saknar datum för uppföljning")
        if measure.evaluate_on is None:
            missing.append(f"{measure.name} saknar datum för utvärdering")
        evaluated = measure.evaluated_on is not None and (
            _filled(measure.evaluation_outcome) and _filled(measure.evaluation_effect)
        )
        reached = measure.evaluate_on is not None and measure.evaluate_on <= today
        if measure.ended_on is not None or reached:
            due += 1
            if evaluated:
                evaluated_due += 1
            else:
                missing.append(f"{measure.name} saknar dokumenterad utvärdering av effekten")
    if due and not evaluated_due:
        return AreaGrade(Status.INTE, tuple(missing))
    return AreaGrade(Status.DELVIS if missing else Status.UPPFYLLER, tuple(missing))


def grade_case(case: GradingCase, routine: RoutineSettings, today: date) -> CaseGrade:
    """All four areas of one case, as an auditor would grade it on ``today``."""
    return CaseGrade(
        case.case_id,
        {
            Area.KONTAKT: grade_contact(case, routine, today),
            Area.KARTLAGGNING: grade_plan(case, routine, today),
            Area.ATGARDER: _with_closing(grade_measures(case, routine, today), case),
            Area.UTVARDERING: grade_evaluation(case, routine, today),
        },
    )


def summary(grades: list[CaseGrade]) -> dict[Area, Counter[Status]]:
    """Per area, how many cases got each status: an auditor's sample table."""
    return {area: Counter(grade.areas[area].status for grade in grades) for area in Area}


def common_gaps(grades: list[CaseGrade], area: Area, top: int = 2) -> list[tuple[str, int]]:
    """The gaps found most often in an area, with in how many cases: the table's comment."""
    found = Counter(
        item
        for grade in grades
        if grade.areas[area].status in (Status.DELVIS, Status.INTE)
        for item in set(grade.areas[area].missing)
    )
    return found.most_common(top)
