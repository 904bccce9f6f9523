"""Visa ärende: one card with the youth, latest contacts, active measures, plan status, the
next reminders and what documentation is missing, with buttons to document more.

The address of a youth with protected identity is never shown.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from dialogs.context import FlowContext
from dialogs.correct import NAME as CORRECT
from dialogs.engine import Flow, Reply, Turn
from dialogs.pick_case import CASE_KEY, case_step
from dialogs.take_case import add_caseload_actions
from scheduler.loading import load_case_facts, load_municipalities, load_reminder_states
from scheduler.rules import DueReminder, apply_states, due_reminders
from storage import codes
from storage.eligibility import turns_20_on
from storage.models import KaaCase
from storage.privacy import address_text
from storage.reports.granskning import grade_case
from storage.reports.granskning_cases import grading_case
from storage.routine import RoutineSettings, routine_settings

NAME = "visa"
LATEST_CONTACTS = 3
NEXT_REMINDERS = 3
REMINDER_HORIZON_DAYS = 30

ACTIONS = (
    ("Logga kontakt", "kontakt"),
    ("Ny insats", "insats"),
    ("Kartläggning", "plan"),
    ("Sysselsättning", "sysselsattning"),
    ("Hembesök", "hembesok"),
    ("Avsluta ärende", "avsluta_arende"),
)


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _heading(text: str) -> dict[str, Any]:
    return _text(text, weight="Bolder", spacing="Medium")


def _facts(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in pairs]}


def _bullets(lines: list[str], empty: str) -> dict[str, Any]:
    return _text("\n".join(f"- {line}" for line in lines) if lines else empty)


def _youth_facts(case: KaaCase, today: date) -> list[tuple[str, str]]:
    youth = case.youth
    pnr = youth.personnummer
    pairs = [
        ("Personnummer", f"{pnr[:8]}-{pnr[8:]}"),
        ("Fyller 20", turns_20_on(youth.birth_date).isoformat()),
        ("Adress", address_text(case.youth)),
        ("Telefon", youth.phone or "–"),
        ("E-post", youth.email or "–"),
    ]
    pairs += [
        ("Vårdnadshavare", f"{g.name}, {g.phone}" if g.phone else g.name) for g in youth.guardians
    ]
    pairs += [
        (
            "Registrerad",
            f"{case.registered_on} – "
            f"{codes.label(codes.REGISTRATION_REASONS, case.registration_reason)}",
        ),
        ("Källa", codes.label(codes.SOURCES, case.source)),
        ("Handläggare", case.assigned_staff.name if case.assigned_staff else "ingen"),
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
    if case.status != "active":
        reason = codes.label(codes.DEREGISTRATION_REASONS, case.deregistration_reason)
        pairs.append(("Avslutat", f"{case.deregistered_on} – {reason}"))
    return pairs


def _contacts(case: KaaCase) -> list[str]:
    latest = sorted(case.contacts, key=lambda c: (c.occurred_on, c.id), reverse=True)
    return [
        f"{c.occurred_on} · {codes.label(codes.CONTACT_CHANNELS, c.channel)} · "
        f"{codes.label(codes.COUNTERPARTS, c.counterpart)} · "
        f"{codes.label(codes.CONTACT_OUTCOMES, c.outcome)}"
        for c in latest[:LATEST_CONTACTS]
    ]


def _measures(case: KaaCase, types: dict[str, str]) -> list[str]:
    lines = []
    for m in case.measures:
        if m.ended_on is not None:
            continue
        dates = ", ".join(
            f"{what} {day}"
            for what, day in (
                ("start", m.starts_on),
                ("slut", m.ends_on),
                ("uppföljning", m.follow_up_on),
                ("utvärdering", m.evaluate_on),
            )
            if day
        )
        lines.append(f"{codes.label(types, m.measure_type)} (nr {m.id}) – {dates or 'inga datum'}")
    return lines


def _plan(case: KaaCase) -> list[str]:
    if not case.plan_revisions:
        lines = ["Ingen kartläggning ännu."]
    else:
        plan = case.plan_revisions[-1]
        follow = f", uppföljning {plan.follow_up_on}" if plan.follow_up_on else ""
        lines = [
            f"Version {plan.revision} från {plan.created_at.date()}{follow}. Mål: {plan.goals}"
        ]
    active = [c for c in case.consents if c.withdrawn_on is None]
    if active:
        lines.append(f"Samtycke från {active[-1].given_on}: {active[-1].actors}")
    elif case.consents:
        lines.append(f"Samtycket återkallades {case.consents[-1].withdrawn_on}.")
    planned = [v for v in case.home_visits if v.outcome is None]
    lines += [f"Hembesök planerat {v.planned_on}" for v in planned]
    return lines


async def _next_reminders(
    context: FlowContext, case: KaaCase, settings: RoutineSettings, today: date
) -> list[DueReminder]:
    """The case's reminders due within a month, done and snoozed ones left out."""
    if case.status != "active":
        return []
    sessionmaker = context.cases.sessionmaker
    async with sessionmaker() as session:
        loaded = await load_case_facts(session, [case.municipality_id], id_range=(case.id, case.id))
    if not loaded:
        return []
    states = (await load_reminder_states(sessionmaker, [case.municipality_id]))[
        case.municipality_id
    ]
    due = due_reminders(loaded[0].facts, settings, today, horizon_days=REMINDER_HORIZON_DAYS)
    return apply_states(due, states, today)[:NEXT_REMINDERS]


def case_card(
    case: KaaCase,
    today: date,
    reminders: list[DueReminder],
    types: dict[str, str],
    routine: RoutineSettings,
) -> dict[str, Any]:
    youth = case.youth
    status = "aktivt" if case.status == "active" else "avslutat"
    body: list[dict[str, Any]] = [
        _text(f"{youth.first_name} {youth.last_name}", weight="Bolder", size="Medium"),
        _text(f"Ärende {case.id} · {status}", isSubtle=True, spacing="None"),
        _facts(_youth_facts(case, today)),
        _heading("Senaste kontakter"),
        _bullets(_contacts(case), "Ingen kontakt dokumenterad ännu."),
        _heading("Pågående insatser"),
        _bullets(_measures(case, types), "Inga pågående insatser."),
        _heading("Plan"),
        _bullets(_plan(case), ""),
    ]
    actions: list[dict[str, Any]] = []
    if case.status == "active":
        missing = grade_case(grading_case(case), routine, today).missing
        body += [
            _heading("Kommande påminnelser"),
            _bullets(
                [f"{r.due} – {r.detail}" for r in reminders], "Inga påminnelser närmaste månaden."
            ),
            _heading("Det här saknas i dokumentationen"),
            _bullets(missing, "Inget saknas – dokumentationen är komplett."),
        ]
        actions = [
            {"type": "Action.Submit", "title": title, "data": {"flow": flow, CASE_KEY: case.id}}
            for title, flow in ACTIONS
        ]
        # Its own submission id: a second click on it is recognised as the same one.
        actions.append(
            {
                "type": "Action.Submit",
                "title": "Ändra",
                "data": {"flow": CORRECT, CASE_KEY: case.id, "submission": uuid.uuid4().hex},
            }
        )
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": body,
        "actions": actions,
    }


async def show_case_reply(context: FlowContext, case_id: int, today: date) -> Reply:
    """The case card; reading the case is audited."""
    case = await context.cases.get_case(context.actor, case_id)
    async with context.cases.sessionmaker() as session:
        municipality = (await load_municipalities(session, [case.municipality_id]))[0]
    settings = routine_settings(municipality)
    reminders = await _next_reminders(context, case, settings, today)
    types = codes.measure_types(municipality.settings)
    card = case_card(case, today, reminders, types, settings)
    if case.status == "active":
        add_caseload_actions(card, context.actor, case.id, case.assigned_staff_id)
    return Reply(
        text=f"Ärende {case.id}: {case.youth.first_name} {case.youth.last_name}", card=card
    )


def show_case_flow(context: FlowContext) -> Flow:
    async def finish(data: dict[str, Any], turn: Turn) -> list[Reply]:
        return [await show_case_reply(context, data[CASE_KEY], turn.today)]

    return Flow(
        name=NAME,
        title="Visa ärende",
        steps=(case_step(context, active_only=False),),
        finish=finish,
    )
