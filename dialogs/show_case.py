"""Visa ärende: one card with the youth, the latest contacts and home visits with their notes,
the measures going on and ended, the plan, the reminders (overdue ones as overdue) and what
documentation is missing, with buttons to document more.

Only in the staff member's own 1:1 chat (a channel gets no case data at all), so it may
show notes. The address of a youth with protected identity is never shown.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from dialogs.context import FlowContext
from dialogs.engine import Flow, Reply, Turn
from dialogs.flow_names import FlowName
from dialogs.pick_case import CASE_KEY, ViewedCases, case_step
from dialogs.take_case import add_caseload_actions
from scheduler.case_reminders import case_reminders
from scheduler.rules import DueReminder
from storage import codes
from storage.case_views import CaseView
from storage.codes import CaseStatus
from storage.eligibility import turns_20_on
from storage.measures import SavedMeasure
from storage.personnummer import format_personnummer
from storage.reports.granskning import grade_case
from storage.routine import RoutineSettings, routine_settings

NAME = FlowName.SHOW_CASE
LATEST_CONTACTS = 3
LATEST_VISITS = 3
NOTE_LENGTH = 200
NEXT_REMINDERS = 5
REMINDER_HORIZON_DAYS = 30

ACTIONS = (
    ("Logga kontakt", FlowName.CONTACT),
    ("Ny insats", FlowName.NEW_MEASURE),
    ("Kartläggning", FlowName.PLAN),
    ("Sysselsättning", FlowName.OCCUPATION),
    ("Hembesök", FlowName.HOME_VISIT),
    ("Avsluta ärende", FlowName.CLOSE_CASE),
)


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _heading(text: str) -> dict[str, Any]:
    return _text(text, weight="Bolder", spacing="Medium")


def _facts(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in pairs]}


def _bullets(lines: list[str], empty: str) -> dict[str, Any]:
    return _text("\n".join(f"- {line}" for line in lines) if lines else empty)


def _youth_facts(case: CaseView) -> list[tuple[str, str]]:
    pairs = [
        ("Personnummer", format_personnummer(case.personnummer)),
        ("Fyller 20", turns_20_on(case.youth.birth_date).isoformat()),
        ("Adress", case.address_text),
        ("Telefon", case.youth.phone or "–"),
        ("E-post", case.youth.email or "–"),
    ]
    pairs += [
        ("Vårdnadshavare", f"{g.name}, {g.phone}" if g.phone else g.name) for g in case.guardians
    ]
    pairs += [
        (
            "Registrerad",
            f"{case.registered_on} – "
            f"{codes.label(codes.REGISTRATION_REASONS, case.registration_reason)}",
        ),
        ("Källa", codes.label(codes.SOURCES, case.source)),
        *([("Skola", case.school)] if case.school else []),
        ("Handläggare", case.assigned_staff_name or "ingen"),
    ]
    if case.occupations:
        latest = case.occupations[-1]
        extent = "" if latest.extent_percent == 100 else f", {latest.extent_percent} %"
        pairs.append(
            (
                "Sysselsättning",
                f"{codes.label(codes.OCCUPATIONS, latest.kind)}{extent} (från {latest.valid_from})",
            )
        )
    if case.status != CaseStatus.ACTIVE:
        reason = codes.label(codes.DEREGISTRATION_REASONS, case.deregistration_reason)
        pairs.append(("Avslutat", f"{case.deregistered_on} – {reason}"))
    return pairs


def _note(text: str | None) -> str:
    """A note as the card shows it: quoted, and cut after NOTE_LENGTH characters."""
    if not text or not text.strip():
        return ""
    note = " ".join(text.split())
    if len(note) > NOTE_LENGTH:
        note = note[: NOTE_LENGTH - 1].rstrip() + "…"
    return f": ”{note}”"


def _contacts(case: CaseView) -> list[str]:
    latest = sorted(case.contacts, key=lambda c: (c.occurred_on, c.id), reverse=True)
    latest = latest[:LATEST_CONTACTS]
    return [
        f"{c.occurred_on} · {codes.label(codes.CONTACT_CHANNELS, c.channel)} · "
        f"{codes.label(codes.COUNTERPARTS, c.counterpart)} · "
        f"{codes.label(codes.CONTACT_OUTCOMES, c.outcome)}{_note(c.note)}"
        for c in latest
    ]


def _home_visits(case: CaseView) -> list[str]:
    latest = sorted(
        case.home_visits, key=lambda v: (v.visited_on or v.planned_on, v.id), reverse=True
    )
    return [
        f"{v.visited_on} · {codes.label(codes.HOME_VISIT_OUTCOMES, v.outcome)}{_note(v.note)}"
        if v.visited_on is not None
        else f"planerat {v.planned_on}"
        for v in latest[:LATEST_VISITS]
    ]


def _dates(measure: SavedMeasure) -> str:
    dates = ", ".join(
        f"{what} {day}"
        for what, day in (
            ("start", measure.starts_on),
            ("slut", measure.ends_on),
            ("uppföljning", measure.follow_up_on),
            ("utvärdering", measure.evaluate_on),
        )
        if day
    )
    return dates or "inga datum"


def _open_measures(case: CaseView) -> list[str]:
    types = case.municipality.measure_types
    return [f"{codes.label(types, m.measure_type)} – {_dates(m)}" for m in case.open_measures]


def _ended_measures(case: CaseView) -> list[str]:
    types = case.municipality.measure_types
    ended = sorted(
        (m for m in case.measures if m.ended_on is not None), key=lambda m: m.ended_on, reverse=True
    )
    lines = []
    for m in ended:
        evaluated = f", utvärderad {m.evaluated_on}" if m.evaluated_on else ", ej utvärderad"
        reason = f": {m.end_reason}" if m.end_reason else ""
        lines.append(
            f"{codes.label(types, m.measure_type)} – avslutad {m.ended_on}{reason}{evaluated}"
        )
    return lines


def _plan(case: CaseView) -> list[str]:
    if not case.plans:
        lines = ["Ingen kartläggning ännu."]
    else:
        plan = case.plans[-1]
        follow = f", uppföljning {plan.follow_up_on}" if plan.follow_up_on else ""
        lines = [
            f"Version {plan.revision} från {plan.created_at.date()}{follow}. Mål: {plan.goals}"
        ]
    active = [c for c in case.consents if c.withdrawn_on is None]
    if active:
        lines.append(f"Samtycke från {active[-1].given_on}: {active[-1].actors}")
    elif case.consents:
        lines.append(f"Samtycket återkallades {case.consents[-1].withdrawn_on}.")
    return lines


def _reminders(reminders: list[DueReminder], today: date) -> list[dict[str, Any]]:
    """Overdue reminders under their own heading, saying when they were due; then the rest."""
    overdue = [r for r in reminders if r.due < today]
    coming = [r for r in reminders if r.due >= today]
    blocks = []
    if overdue:
        blocks += [
            _heading("Försenat"),
            _bullets([f"skulle gjorts {r.due} – {r.detail}" for r in overdue], ""),
        ]
    blocks += [
        _heading("Kommande påminnelser"),
        _bullets([f"{r.due} – {r.detail}" for r in coming], "Inga påminnelser närmaste månaden."),
    ]
    return blocks


async def _next_reminders(
    context: FlowContext, case: CaseView, routine: RoutineSettings, today: date
) -> list[DueReminder]:
    """The case's reminders due within a month, done and snoozed ones left out."""
    if case.status != CaseStatus.ACTIVE:
        return []
    due = await case_reminders(
        context.source,
        case.municipality.id,
        case.case_id,
        routine,
        today,
        REMINDER_HORIZON_DAYS,
    )
    return due[:NEXT_REMINDERS]


def case_card(
    case: CaseView, today: date, reminders: list[DueReminder], routine: RoutineSettings
) -> dict[str, Any]:
    status = codes.label(codes.CASE_STATUSES, case.status)
    body: list[dict[str, Any]] = [
        _text(case.name, weight="Bolder", size="Medium"),
        _text(f"Ärende {case.case_id} · {status}", isSubtle=True, spacing="None"),
        _facts(_youth_facts(case)),
        _heading("Senaste kontakter"),
        _bullets(_contacts(case), "Ingen kontakt dokumenterad ännu."),
        _heading("Hembesök"),
        _bullets(_home_visits(case), "Inga hembesök."),
        _heading("Pågående insatser"),
        _bullets(_open_measures(case), "Inga pågående insatser."),
    ]
    if ended := _ended_measures(case):
        body += [_heading("Avslutade insatser"), _bullets(ended, "")]
    body += [_heading("Plan"), _bullets(_plan(case), "")]
    actions: list[dict[str, Any]] = []
    if case.status == CaseStatus.ACTIVE:
        missing = grade_case(case.grading, routine, today).missing
        body += [
            *_reminders(reminders, today),
            _heading("Det här saknas i dokumentationen"),
            _bullets(missing, "Inget saknas – dokumentationen är komplett."),
        ]
        actions = [
            {
                "type": "Action.Submit",
                "title": title,
                "data": {"flow": flow, CASE_KEY: case.case_id},
            }
            for title, flow in ACTIONS
        ]
        # Its own submission id: a second click on it is recognised as the same one.
        actions.append(
            {
                "type": "Action.Submit",
                "title": "Ändra",
                "data": {
                    "flow": FlowName.CORRECT,
                    CASE_KEY: case.case_id,
                    "submission": uuid.uuid4().hex,
                },
            }
        )
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": body,
        "actions": actions,
    }


async def case_reply(context: FlowContext, case: CaseView, today: date) -> Reply:
    """The case card of a case read with `CaseQueries.view` (which audited the read)."""
    routine = routine_settings(case.municipality)
    reminders = await _next_reminders(context, case, routine, today)
    card = case_card(case, today, reminders, routine)
    if case.status == CaseStatus.ACTIVE:
        add_caseload_actions(card, context.actor, case.case_id, case.assigned_staff_id)
    return Reply(text=f"Ärende {case.case_id}: {case.name}", card=card)


def show_case_flow(context: FlowContext) -> Flow:
    # The card is built from the one audited read the case step made.
    viewed = ViewedCases(context)

    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        return [await case_reply(context, await viewed.get(data[CASE_KEY]), turn.today)]

    return Flow(
        name=NAME,
        title="Visa ärende",
        steps=(case_step(context, active_only=False, read=viewed.read),),
        finish=finish,
    )
