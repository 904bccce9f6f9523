"""The reminder rules: case facts and a date in, due reminders out.

Every rule is a pure function of the facts, so logging the matching contact,
home visit, plan or measure documentation changes the facts and the reminder
is gone the next time the rules run. ``key`` names the situation a reminder
is about (its anchor date, not today), so the same situation gives the same
key every day and the database can deliver and mark it exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from scheduler.calendar import add_months, add_working_days
from scheduler.facts import CaseFacts, ContactHistory
from storage.eligibility import turns_18_on, turns_20_on
from storage.routine import RoutineSettings

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
    SCB_CONFIRM = "scb_confirm"


class Turning20(StrEnum):
    """The two turning_20 reminders: prepare ahead, then close on the birthday."""

    PREPARE = "prepare"
    CLOSE = "close"


class DueReminder(NamedTuple):
    """One thing a coordinator should do; ``detail`` is Swedish and holds no personal data.

    A named tuple: the daily job makes one for each of some 70 000 due items on a
    national store, and a tuple is several times cheaper to make than a frozen
    dataclass.

    ``variant`` tells turning_20's two reminders apart (Turning20) and names the
    stage of an scb_deadline reminder (e.g. "days_28", "working_days_1").
    ``measure_id`` points at the measure for the measure_* kinds;
    ``period_code`` at the SCB period for scb_deadline and scb_confirm.
    """

    kind: Kind
    case_id: int | None
    due: date
    key: str
    detail: str
    variant: str | None = None
    measure_id: int | None = None
    period_code: str | None = None
    # The youth is under 18: the routine contacts the guardian first, and the 1:1 digest
    # names the guardian with their phone number.
    guardian_first: bool = False


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


# The contact routine's reminders that go to the guardian first when the youth is a minor.
GUARDIAN_KINDS = frozenset(
    {
        Kind.FIRST_CONTACT,
        Kind.CONTACT_FOLLOWUP,
        Kind.CONTACT_GOAL,
        Kind.HOME_VISIT,
        Kind.HOME_VISIT_FOLLOWUP,
    }
)
GUARDIAN_NOTE = " Ungdomen är under 18 år, så enligt rutinen kontaktas vårdnadshavaren först."


@cache
def _case_details(settings: RoutineSettings) -> dict[Kind | Turning20, str]:
    """Every case reminder text for one settings value, computed once."""
    texts: dict[Kind | Turning20, str] = dict(_TURNING_20_DETAILS)
    for kind in Kind:
        if kind not in (Kind.TURNING_20, Kind.SCB_DEADLINE, Kind.SCB_CONFIRM):
            texts[kind] = _detail(kind, settings)
    return texts


@cache
def _guardian_details(settings: RoutineSettings) -> dict[Kind, str]:
    """The contact routine's texts for a minor: the same, saying why the guardian comes first."""
    texts = _case_details(settings)
    return {kind: texts[kind] + GUARDIAN_NOTE for kind in GUARDIAN_KINDS}


class CaseRules:
    """The case rules for one routine and one day: set up once, then applied to each case.

    The daily job runs them for every active case of a municipality, so what all
    cases share (the horizon, the intervals, the texts) is worked out here once.
    """

    def __init__(
        self, settings: RoutineSettings, today: date, horizon_days: int = DEFAULT_HORIZON_DAYS
    ) -> None:
        self.settings = settings
        self.today = today
        self.until = today + timedelta(days=horizon_days)
        self._details = _case_details(settings)
        self._guardian_details = _guardian_details(settings)
        self._contact_goal = timedelta(weeks=settings.contact_goal_weeks)
        self._plan_missing = timedelta(weeks=settings.plan_missing_weeks)
        self._turning_20_ahead = timedelta(days=settings.turning_20_days_ahead)

    def due(self, facts: CaseFacts) -> list[DueReminder]:
        """Every reminder for the case due on or before the horizon, sorted.

        Overdue reminders stay in the list until the facts change (or a state in
        apply_states hides them). A closed case gives nothing.
        """
        if not facts.active:
            return []
        history = facts.history
        due: list[DueReminder] = []
        self._contact_routine(facts, history, due)
        if history.last_reached is not None:
            self._regular_followup(facts, history.last_reached, due)
            if not facts.has_plan:
                first = history.first_reached
                assert first is not None
                self._add(due, Kind.PLAN_MISSING, facts, first + self._plan_missing, first)
        if facts.measures:
            self._measures(facts, due)
        self._turning_20(facts, due)
        if len(due) > 1:
            due.sort(key=sort_key)
        return due

    def _add(
        self,
        due: list[DueReminder],
        kind: Kind,
        facts: CaseFacts,
        day: date,
        anchor: date,
        measure_id: int | None = None,
        variant: Turning20 | None = None,
        guardian: bool = False,
    ) -> None:
        """Add a reminder due on ``day`` if that is within the horizon; ``guardian``: the
        youth is a minor and the kind is one of the contact routine's."""
        if day > self.until:
            return
        case_id = facts.case_id
        if variant is not None:
            key = f"{kind}:{case_id}:{variant}:{anchor.isoformat()}"
        elif measure_id is not None:
            key = f"{kind}:{case_id}:{measure_id}:{anchor.isoformat()}"
        else:
            key = f"{kind}:{case_id}:{anchor.isoformat()}"
        if guardian:
            detail = self._guardian_details[kind]
            due.append(DueReminder(kind, case_id, day, key, detail, guardian_first=True))
            return
        detail = self._details[variant or kind]
        due.append(DueReminder(kind, case_id, day, key, detail, variant, measure_id))

    def _contact_routine(
        self, facts: CaseFacts, history: ContactHistory, due: list[DueReminder]
    ) -> None:
        """first_contact, contact_goal, contact_followup, home_visit and home_visit_followup,
        which go to the guardian first while the youth is under 18."""
        settings, registered = self.settings, facts.registered_on
        minor = self.today < _turns_18_on(facts.birth_date)
        first = history.first_attempt
        if first is None:
            day = add_working_days(registered, settings.first_contact_working_days)
            self._add(due, Kind.FIRST_CONTACT, facts, day, registered, guardian=minor)

        if history.last_reached is None:
            goal = registered + self._contact_goal
            self._add(due, Kind.CONTACT_GOAL, facts, goal, registered, guardian=minor)
            if first is not None:
                # Any later attempt of any kind is the "phone, SMS or second letter".
                if history.last_attempt == first:
                    day = add_months(first, settings.contact_followup_months)
                    self._add(due, Kind.CONTACT_FOLLOWUP, facts, day, first, guardian=minor)
                if history.last_visit is None:
                    day = add_months(first, settings.home_visit_months)
                    self._add(due, Kind.HOME_VISIT, facts, day, first, guardian=minor)

        visit = history.last_visit
        # A visit where someone was met is an established contact on its day, so "not
        # reached since the last visit" also covers "the last visit met nobody".
        if (
            visit is not None
            and (history.last_reached is None or history.last_reached < visit)
            and (history.last_contact is None or history.last_contact <= visit)
        ):
            day = add_months(visit, settings.home_visit_followup_months)
            self._add(due, Kind.HOME_VISIT_FOLLOWUP, facts, day, visit, guardian=minor)

    def _regular_followup(
        self, facts: CaseFacts, last_reached: date, due: list[DueReminder]
    ) -> None:
        """Monthly (by default) after the last established contact, recurring until a new one.

        The latest occurrence on or before today is kept, so an overdue follow-up
        stays overdue until the next occurrence arrives; before the first
        occurrence it shows once it is within the horizon.
        """
        step = self.settings.regular_followup_months
        occurrence = add_months(last_reached, step)
        if occurrence > self.until:
            return
        today = self.today
        if occurrence <= today:
            # Start from the whole months between the two dates and correct by a step
            # either way: add_months only ever grows with the number of months.
            months = (today.year - last_reached.year) * 12 + today.month - last_reached.month
            count = months // step
            occurrence = add_months(last_reached, step * count)
            while occurrence > today:
                count -= 1
                occurrence = add_months(last_reached, step * count)
            while (following := add_months(last_reached, step * (count + 1))) <= today:
                count += 1
                occurrence = following
        self._add(due, Kind.REGULAR_FOLLOWUP, facts, occurrence, occurrence)

    def _measures(self, facts: CaseFacts, due: list[DueReminder]) -> None:
        for measure in facts.measures:
            ended = measure.end_reason is not None
            measure_id = measure.measure_id
            day = measure.follow_up_on
            if day is not None and not measure.followed_up and not ended:
                self._add(due, Kind.MEASURE_FOLLOWUP, facts, day, day, measure_id)
            # Evaluation is due even after the measure ended: it judges the effect.
            day = measure.evaluate_on
            if day is not None and not measure.evaluated:
                self._add(due, Kind.MEASURE_EVALUATION, facts, day, day, measure_id)
            day = measure.ends_on
            if day is not None and not ended:
                self._add(
                    due, Kind.MEASURE_END_OVERDUE, facts, day + timedelta(days=1), day, measure_id
                )

    def _turning_20(self, facts: CaseFacts, due: list[DueReminder]) -> None:
        """Prepare ahead of the 20th birthday, then suggest closing on it.

        Once the closing reminder is within the horizon it replaces the prepare
        reminder, so a case never shows both.
        """
        birthday = _turns_20_on(facts.birth_date)
        if birthday <= self.until:
            self._add(due, Kind.TURNING_20, facts, birthday, birthday, variant=Turning20.CLOSE)
            return
        prepare = birthday - self._turning_20_ahead
        if prepare <= self.until:
            self._add(due, Kind.TURNING_20, facts, prepare, birthday, variant=Turning20.PREPARE)


def due_reminders(
    facts: CaseFacts,
    settings: RoutineSettings,
    today: date,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> list[DueReminder]:
    """Every reminder for one case due on or before ``today + horizon_days`` (CaseRules.due)."""
    return CaseRules(settings, today, horizon_days).due(facts)


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
            result.append(reminder._replace(due=max(reminder.due, state.snoozed_until)))
    return result


def group_for_digest(reminders: Iterable[DueReminder], today: date) -> Digest:
    """Split into overdue (before today), today, and this week (after today)."""
    ordered = sorted(reminders, key=sort_key)
    return Digest(
        overdue=tuple(r for r in ordered if r.due < today),
        today=tuple(r for r in ordered if r.due == today),
        this_week=tuple(r for r in ordered if r.due > today),
    )


def sort_key(reminder: DueReminder) -> tuple[date, str, int, str]:
    return (reminder.due, reminder.kind, reminder.case_id or 0, reminder.key)


_turns_20_on = cache(turns_20_on)
_turns_18_on = cache(turns_18_on)
