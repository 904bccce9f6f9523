"""The reminder rules: case facts and a date in, due reminders out.

Every rule is a pure function of the facts, so logging the matching contact,
home visit, plan or measure documentation changes the facts and the reminder
is gone the next time the rules run. ``key`` names the situation a reminder
is about (its anchor date, not today), so the same situation gives the same
key every day and the database can deliver and mark it exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from scheduler.calendar import add_months, add_working_days, is_working_day
from scheduler.facts import CaseFacts
from scheduler.routine import RoutineSettings
from storage.eligibility import turns_20_on
from storage.scb.periods import ReportingPeriod

DEFAULT_HORIZON_DAYS = 7
CLOSING_REASON_TURNED_20 = "fyllt 20"


class Kind(StrEnum):
    FIRST_CONTACT = "first_contact"
    CONTACT_FOLLOWUP = "contact_followup"
    HOME_VISIT = "home_visit"
    HOME_VISIT_FOLLOWUP = "home_visit_followup"
    CONTACT_GOAL = "contact_goal"
    REGULAR_FOLLOWUP = "regular_followup"
    MEASURE_FOLLOWUP = "measure_followup"
    MEASURE_EVALUATION = "measure_evaluation"
    MEASURE_END_OVERDUE = "measure_end_overdue"
    PLAN_MISSING = "plan_missing"
    TURNING_20 = "turning_20"
    SCB_DEADLINE = "scb_deadline"


class Turning20(StrEnum):
    """The two turning_20 reminders: prepare ahead, then close on the birthday."""

    PREPARE = "prepare"
    CLOSE = "close"


@dataclass(frozen=True)
class DueReminder:
    """One thing a coordinator should do; ``detail`` is Swedish and holds no personal data.

    ``variant`` tells turning_20's two reminders apart (Turning20) and names the
    stage of an scb_deadline reminder (e.g. "days_28", "working_days_1").
    ``measure_id`` points at the measure for the measure_* kinds;
    ``period_code`` at the SCB period for scb_deadline.
    """

    kind: Kind
    case_id: int | None
    due: date
    key: str
    detail: str
    variant: str | None = None
    measure_id: int | None = None
    period_code: str | None = None


@dataclass(frozen=True)
class ReminderState:
    """What a staff member did with a reminder, stored by its key."""

    done: bool = False
    snoozed_until: date | None = None


@dataclass(frozen=True)
class Digest:
    """Reminders grouped for the daily digest, each group sorted by due date."""

    overdue: tuple[DueReminder, ...]
    today: tuple[DueReminder, ...]
    this_week: tuple[DueReminder, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.today or self.this_week)


_NUMBER_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio")


def _months(count: int) -> str:
    word = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
    return f"{word} månad" if count == 1 else f"{word} månader"


def _weeks(count: int) -> str:
    word = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
    return f"{word} vecka" if count == 1 else f"{word} veckor"


def _detail(kind: Kind, settings: RoutineSettings) -> str:
    """The Swedish text of a case reminder, with the municipality's own intervals."""
    match kind:
        case Kind.FIRST_CONTACT:
            return (
                "Nytt ärende utan kontaktförsök – kontakta ungdomen eller vårdnadshavaren "
                "med brev, telefon, sms eller e-post."
            )
        case Kind.CONTACT_FOLLOWUP:
            return (
                f"Ingen etablerad kontakt {_months(settings.contact_followup_months)} efter "
                "första försöket – ring, sms:a eller skicka ett andra brev med information "
                "om KAA och hembesök."
            )
        case Kind.HOME_VISIT:
            return (
                f"Ingen etablerad kontakt {_months(settings.home_visit_months)} efter första "
                "försöket – gör ett aviserat hembesök, två personer. Lämna informationsblad "
                "om ingen är hemma."
            )
        case Kind.HOME_VISIT_FOLLOWUP:
            return (
                f"{_months(settings.home_visit_followup_months).capitalize()} sedan hembesöket "
                "utan kontakt – ring, sms:a eller skriv igen."
            )
        case Kind.CONTACT_GOAL:
            return (
                f"Ingen etablerad kontakt {_weeks(settings.contact_goal_weeks)} efter "
                "registreringen – målet är kontakt inom fyra veckor."
            )
        case Kind.REGULAR_FOLLOWUP:
            return "Dags för regelbunden uppföljning – hör av dig till ungdomen."
        case Kind.MEASURE_FOLLOWUP:
            return "Insatsen ska följas upp – dokumentera uppföljningen."
        case Kind.MEASURE_EVALUATION:
            return "Insatsen ska utvärderas – dokumentera vilken effekt den har haft."
        case Kind.MEASURE_END_OVERDUE:
            return (
                "Insatsens slutdatum saknar orsak till avslut – avsluta insatsen med orsak "
                "eller förläng den."
            )
        case Kind.PLAN_MISSING:
            return (
                f"Ingen planering {_weeks(settings.plan_missing_weeks)} efter första "
                "kontakten – gör en kartläggning med mål och ansvar."
            )
    raise ValueError(f"no case text for {kind}")


_TURNING_20_DETAILS: dict[Turning20, str] = {
    Turning20.PREPARE: "Ungdomen fyller 20 inom kort – förbered avslut och överlämning.",
    Turning20.CLOSE: (
        f'Ungdomen fyller 20 – avsluta ärendet med orsak "{CLOSING_REASON_TURNED_20}".'
    ),
}


@cache
def _case_details(settings: RoutineSettings) -> dict[Kind | Turning20, str]:
    """Every case reminder text for one settings value, computed once."""
    texts: dict[Kind | Turning20, str] = dict(_TURNING_20_DETAILS)
    for kind in Kind:
        if kind not in (Kind.TURNING_20, Kind.SCB_DEADLINE):
            texts[kind] = _detail(kind, settings)
    return texts


def due_reminders(
    facts: CaseFacts,
    settings: RoutineSettings,
    today: date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> list[DueReminder]:
    """Every reminder for one case due on or before ``today + horizon_days``.

    Overdue reminders stay in the list until the facts change (or a state in
    apply_states hides them). A closed case gives nothing.
    """
    if not facts.active:
        return []
    until = today + timedelta(days=horizon_days)
    established = [c.on for c in facts.contacts if c.established]
    established += [v.on for v in facts.home_visits if v.met]
    candidates = [
        *_contact_routine(facts, settings, established),
        *_regular_followup(settings, established, today, until),
        *_plan_missing(facts, settings, established),
        *_measures(facts),
        _turning_20(facts, settings, until),
    ]
    details = _case_details(settings)
    reminders = [
        _build(facts, details, candidate) for candidate in candidates if candidate.due <= until
    ]
    return sorted(reminders, key=_sort_key)


def scb_deadline_reminders(
    periods: Iterable[ReportingPeriod],
    settings: RoutineSettings,
    today: date,
    incomplete_count: int,
) -> list[DueReminder]:
    """The current SCB deadline reminder of each period whose deadline is still ahead.

    Stages are ``scb_reminder_days_before`` calendar days and
    ``scb_reminder_working_days_before`` working days before the deadline; a
    calendar-day stage on a weekend or holiday moves back to the working day
    before, so it reaches a digest without coming late. A stage shows from its
    day until the next stage replaces it; after the deadline nothing shows.
    """
    reminders: list[DueReminder] = []
    for period in periods:
        if today > period.deadline:
            continue
        stages = _scb_stages(period.deadline, settings)
        reached = [stage for stage in stages if stage[1] <= today]
        if not reached:
            continue
        variant, due = max(reached, key=lambda stage: stage[1])
        reminders.append(
            DueReminder(
                kind=Kind.SCB_DEADLINE,
                case_id=None,
                due=due,
                key=f"{Kind.SCB_DEADLINE}:{period.code}:{period.deadline.isoformat()}:{variant}",
                detail=_scb_detail(period, incomplete_count),
                variant=variant,
                period_code=period.code,
            )
        )
    return sorted(reminders, key=_sort_key)


def apply_states(
    reminders: Iterable[DueReminder],
    states: Mapping[str, ReminderState],
    today: date,
) -> list[DueReminder]:
    """Drop done reminders; hide snoozed ones until their date, then show them due that day.

    A reminder snoozed to a date before its own due date keeps its due date.
    """
    result: list[DueReminder] = []
    for reminder in reminders:
        state = states.get(reminder.key)
        if state is None:
            result.append(reminder)
            continue
        if state.done:
            continue
        if state.snoozed_until is None:
            result.append(reminder)
        elif state.snoozed_until <= today:
            result.append(replace(reminder, due=max(reminder.due, state.snoozed_until)))
    return result


def group_for_digest(reminders: Iterable[DueReminder], today: date) -> Digest:
    """Split into overdue (before today), today, and this week (after today)."""
    ordered = sorted(reminders, key=_sort_key)
    return Digest(
        overdue=tuple(r for r in ordered if r.due < today),
        today=tuple(r for r in ordered if r.due == today),
        this_week=tuple(r for r in ordered if r.due > today),
    )


def _sort_key(reminder: DueReminder) -> tuple[date, str, int, str]:
    return (reminder.due, reminder.kind, reminder.case_id or 0, reminder.key)


class _Candidate(NamedTuple):
    """A possible reminder before the horizon check; built into a DueReminder only if due."""

    kind: Kind
    due: date
    anchor: date
    measure_id: int | None = None
    variant: Turning20 | None = None


def _build(
    facts: CaseFacts, details: dict[Kind | Turning20, str], candidate: _Candidate
) -> DueReminder:
    kind, anchor = candidate.kind, candidate.anchor.isoformat()
    if candidate.variant is not None:
        key = f"{kind}:{facts.case_id}:{candidate.variant}:{anchor}"
    elif candidate.measure_id is not None:
        key = f"{kind}:{facts.case_id}:{candidate.measure_id}:{anchor}"
    else:
        key = f"{kind}:{facts.case_id}:{anchor}"
    return DueReminder(
        kind=kind,
        case_id=facts.case_id,
        due=candidate.due,
        key=key,
        detail=details[candidate.variant or kind],
        variant=candidate.variant,
        measure_id=candidate.measure_id,
    )


def _contact_routine(
    facts: CaseFacts, settings: RoutineSettings, established: list[date]
) -> list[_Candidate]:
    """first_contact, contact_followup, home_visit, home_visit_followup and contact_goal."""
    candidates: list[_Candidate] = []
    attempts = [c.on for c in facts.contacts] + [v.on for v in facts.home_visits]
    registered = facts.registered_on

    if not attempts:
        due = add_working_days(registered, settings.first_contact_working_days)
        candidates.append(_Candidate(Kind.FIRST_CONTACT, due, registered))

    if not established:
        goal = registered + timedelta(weeks=settings.contact_goal_weeks)
        candidates.append(_Candidate(Kind.CONTACT_GOAL, goal, registered))

    if attempts and not established:
        first = min(attempts)
        # Any later attempt of any kind is the "phone, SMS or second letter".
        if not any(day > first for day in attempts):
            due = add_months(first, settings.contact_followup_months)
            candidates.append(_Candidate(Kind.CONTACT_FOLLOWUP, due, first))
        if not facts.home_visits:
            due = add_months(first, settings.home_visit_months)
            candidates.append(_Candidate(Kind.HOME_VISIT, due, first))

    if facts.home_visits:
        visit = max(facts.home_visits, key=lambda v: v.on)
        reached_since = any(day >= visit.on for day in established)
        tried_since = any(c.on > visit.on for c in facts.contacts)
        if not visit.met and not reached_since and not tried_since:
            due = add_months(visit.on, settings.home_visit_followup_months)
            candidates.append(_Candidate(Kind.HOME_VISIT_FOLLOWUP, due, visit.on))
    return candidates


def _regular_followup(
    settings: RoutineSettings, established: list[date], today: date, until: date
) -> list[_Candidate]:
    """Monthly (by default) after the last established contact, recurring until a new one.

    The latest occurrence on or before today is kept, so an overdue follow-up
    stays overdue until the next occurrence arrives; before the first
    occurrence it shows once it is within the horizon.
    """
    if not established:
        return []
    last = max(established)
    step = settings.regular_followup_months
    occurrence = add_months(last, step)
    if occurrence > until:
        return []
    count = 1
    while (following := add_months(last, step * (count + 1))) <= today:
        count += 1
        occurrence = following
    return [_Candidate(Kind.REGULAR_FOLLOWUP, occurrence, occurrence)]


def _plan_missing(
    facts: CaseFacts, settings: RoutineSettings, established: list[date]
) -> list[_Candidate]:
    if facts.first_plan_on is not None or not established:
        return []
    first = min(established)
    due = first + timedelta(weeks=settings.plan_missing_weeks)
    return [_Candidate(Kind.PLAN_MISSING, due, first)]


def _measures(facts: CaseFacts) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    for measure in facts.measures:
        ended = measure.end_reason is not None
        measure_id = measure.measure_id
        if measure.follow_up_on is not None and not measure.followed_up and not ended:
            day = measure.follow_up_on
            candidates.append(_Candidate(Kind.MEASURE_FOLLOWUP, day, day, measure_id))
        # Evaluation is due even after the measure ended: it judges the effect.
        if measure.evaluate_on is not None and not measure.evaluated:
            day = measure.evaluate_on
            candidates.append(_Candidate(Kind.MEASURE_EVALUATION, day, day, measure_id))
        if measure.ends_on is not None and not ended:
            day = measure.ends_on
            candidates.append(
                _Candidate(Kind.MEASURE_END_OVERDUE, day + timedelta(days=1), day, measure_id)
            )
    return candidates


def _turning_20(facts: CaseFacts, settings: RoutineSettings, until: date) -> _Candidate:
    """Prepare ahead of the 20th birthday, then suggest closing on it.

    Once the closing reminder is within the horizon it replaces the prepare
    reminder, so a case never shows both.
    """
    birthday = turns_20_on(facts.birth_date)
    if birthday <= until:
        return _Candidate(Kind.TURNING_20, birthday, birthday, variant=Turning20.CLOSE)
    prepare = birthday - timedelta(days=settings.turning_20_days_ahead)
    return _Candidate(Kind.TURNING_20, prepare, birthday, variant=Turning20.PREPARE)


def _scb_stages(deadline: date, settings: RoutineSettings) -> list[tuple[str, date]]:
    """(variant, day) for each configured stage."""
    stages: list[tuple[str, date]] = []
    for days in settings.scb_reminder_days_before:
        day = deadline - timedelta(days=days)
        if not is_working_day(day):
            day = add_working_days(day, -1)
        stages.append((f"days_{days}", day))
    working_days = settings.scb_reminder_working_days_before
    stages.append((f"working_days_{working_days}", add_working_days(deadline, -working_days)))
    return stages


def _scb_detail(period: ReportingPeriod, incomplete_count: int) -> str:
    half = "första" if period.start.month == 1 else "andra"
    if incomplete_count == 0:
        status = "Alla ärenden har kompletta SCB-uppgifter."
    elif incomplete_count == 1:
        status = "1 ärende saknar uppgifter som SCB behöver."
    else:
        status = f"{incomplete_count} ärenden saknar uppgifter som SCB behöver."
    return (
        f"SCB-rapporteringen för {half} halvåret {period.start.year} ska vara inlämnad "
        f"senast {period.deadline.isoformat()}. {status}"
    )
