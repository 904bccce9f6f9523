"""The SCB reminders: the deadline coming closer, and what nobody has confirmed yet.

Pure functions of the periods (storage/scb/calendar.py gives them, with their deadlines,
code lists and what was confirmed) and the date. ``period_code`` of a reminder names its
half-year; its key holds the deadline too, so a changed date is a new reminder.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from scheduler.calendar import add_working_days, is_working_day
from scheduler.rules import DueReminder, Kind, sort_key
from storage.routine import RoutineSettings
from storage.scb.periods import ReportingPeriod

# How long before a deadline admins are asked to confirm its date and code list.
CONFIRM_AHEAD = timedelta(weeks=8)


def scb_deadline_reminders(
    periods: Iterable[ReportingPeriod],
    settings: RoutineSettings,
    today: date,
    incomplete: Mapping[str, int | None],
) -> list[DueReminder]:
    """The current SCB deadline reminder of each period whose deadline is still ahead;
    ``incomplete`` is, per period code, how many cases SCB's checks would refuse (None:
    no code list covers the period).

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
                detail=_deadline_detail(period, incomplete.get(period.code, 0)),
                variant=variant,
                period_code=period.code,
            )
        )
    return sorted(reminders, key=sort_key)


def scb_confirm_reminders(periods: Iterable[ReportingPeriod], today: date) -> list[DueReminder]:
    """For admins: from eight weeks before a deadline until it, each period whose date or
    code list nobody has confirmed."""
    reminders: list[DueReminder] = []
    for period in periods:
        start = period.deadline - CONFIRM_AHEAD
        if not is_working_day(start):
            start = add_working_days(start, -1)
        if not period.unconfirmed or not start <= today <= period.deadline:
            continue
        what = "+".join(period.unconfirmed)
        reminders.append(
            DueReminder(
                kind=Kind.SCB_CONFIRM,
                case_id=None,
                due=start,
                key=f"{Kind.SCB_CONFIRM}:{period.code}:{period.deadline.isoformat()}:{what}",
                detail=_confirm_detail(period),
                variant=what,
                period_code=period.code,
            )
        )
    return sorted(reminders, key=sort_key)


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


def _deadline_detail(period: ReportingPeriod, incomplete_count: int | None) -> str:
    if incomplete_count is None:
        status = "Ingen installerad kodlista gäller för perioden – installera SCB:s."
    elif incomplete_count == 0:
        status = "Alla ärenden har kompletta SCB-uppgifter."
    elif incomplete_count == 1:
        status = "1 ärende saknar uppgifter som SCB behöver."
    else:
        status = f"{incomplete_count} ärenden saknar uppgifter som SCB behöver."
    assumed = "" if period.deadline_confirmed else " (enligt standardregeln, ej bekräftat)"
    return (
        f"SCB-rapporteringen för {period.label} ska vara inlämnad "
        f"senast {period.deadline.isoformat()}{assumed}. {status}"
    )


def _confirm_detail(period: ReportingPeriod) -> str:
    parts = []
    if not period.deadline_confirmed:
        parts.append(
            f"sista dagen ({period.deadline.isoformat()} enligt standardregeln) – skriv "
            f"**scb datum {period.code} ÅÅÅÅ-MM-DD** med SCB:s datum"
        )
    if not period.code_list_confirmed:
        if period.code_list is None:
            parts.append("kodlistan – ingen installerad kodlista gäller för perioden")
        else:
            parts.append(
                f"kodlistan ({period.code_list} används) – skriv **scb kodlista {period.code}** "
                "om den gäller, annars installeras SCB:s nya med kaa-bot scb kodlista import"
            )
    return f"SCB {period.label}: ingen har bekräftat " + "; ".join(parts) + "."
