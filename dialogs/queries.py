"""One-shot answers to the quick questions ("vad har jag idag?", "nyckeltal", "granskning" …).

Answers go to the asker's own 1:1 chat, so they may name youths; every case a list
names is written to the audit log. Due reminders are computed on the fly with the
reminder rules from the same case facts the daily digest uses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.cards import blocks_by_id, fill_card
from dialogs.context import FlowContext
from dialogs.dates import format_date, format_day_month
from dialogs.digest import digest_reply, guardian_text
from dialogs.distribute import distribute, with_unattended
from dialogs.engine import Reply, Turn
from dialogs.granskning import granskning_answer
from dialogs.intents import Intent, Recognition
from dialogs.lists import LIST_LIMIT, more_text
from dialogs.scb import scb_answer
from dialogs.workload import workload
from scheduler.labels import load_case_labels, load_staff_labels
from scheduler.loading import (
    LoadedCase,
    MunicipalityRow,
    load_case_facts,
    load_municipalities,
    load_reminder_states,
)
from scheduler.messages import MAX_DIGEST_ITEMS, CaseLabel, PersonalDigest
from scheduler.rules import (
    CaseRules,
    DueReminder,
    ReminderState,
    apply_states,
    group_for_digest,
)
from storage.audit import Actor, record_reads
from storage.eligibility import turns_20_on
from storage.models import KaaCase, Staff, Youth
from storage.reports.kpi import KeyFigures, key_figures
from storage.reports.period import PeriodError, current_half_year, parse_period
from storage.routine import routine_settings
from storage.sessions import transaction

TURNING_20_DAYS = 60
REPORT_ROLES = frozenset({"coordinator", "manager", "admin"})
_NO_CASES = "Du har inga aktiva ärenden tilldelade just nu."

Answer = Callable[[Recognition, Turn, FlowContext, Iterable[str]], Awaitable[list[Reply]]]


def _names(labels: dict[int, Any], case_id: int | None) -> str:
    label = labels.get(case_id) if case_id is not None else None
    return f"{label.first_name} {label.last_name}" if label else f"ärende {case_id}"


async def _my_facts(session: AsyncSession, actor: Actor) -> list[LoadedCase]:
    if actor.staff_id is None:
        return []
    return await load_case_facts(session, [actor.municipality_id or 0], staff_id=actor.staff_id)


async def _routine(
    context: FlowContext,
) -> tuple[MunicipalityRow | None, dict[str, ReminderState]]:
    """The municipality's routine settings and its done and snoozed reminders."""
    municipality_id = context.actor.municipality_id or 0
    async with context.cases.sessionmaker() as session:
        municipalities = await load_municipalities(session, [municipality_id])
    states = await load_reminder_states(context.cases.sessionmaker, [municipality_id])
    return (municipalities[0] if municipalities else None), states[municipality_id]


async def _due(
    session: AsyncSession, context: FlowContext, today: date
) -> tuple[list[DueReminder], bool]:
    """The asker's reminders due today or earlier, done and snoozed ones left out."""
    mine = await _my_facts(session, context.actor)
    municipality, states = await _routine(context)
    if not mine or municipality is None:
        return [], False
    rules = CaseRules(routine_settings(municipality), today, horizon_days=0)
    due = [
        reminder
        for loaded in mine
        for reminder in apply_states(rules.due(loaded.facts), states, today)
    ]
    return due, True


async def _labels(
    session: AsyncSession, context: FlowContext, case_ids: list[int], action: str
) -> dict[int, CaseLabel]:
    """Names of the cases a list shows; each shown case is an audited read, written into
    ``session`` (whose transaction the caller commits)."""
    await record_reads(session, context.actor, action, case_ids)
    return await load_case_labels(session, case_ids)


async def _today(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    # One transaction for the whole answer: the reads and the audit entries of what it shows.
    async with transaction(context.cases.sessionmaker) as session:
        due, has_cases = await _due(session, context, turn.today)
        names = (
            await load_staff_labels(
                session, context.actor.municipality_id or 0, context.actor.staff_id
            )
            if due and context.actor.staff_id is not None
            else {}
        )
        if recognition.intent == Intent.OVERDUE:
            due = [reminder for reminder in due if reminder.due < turn.today]
            if not due:
                text = "Inget är försenat. Bra jobbat!" if has_cases else _NO_CASES
                return [Reply(text=text)]
        elif not due:
            return [
                Reply(
                    text="Du har inget som är försenat eller ska göras idag."
                    if has_cases
                    else _NO_CASES
                )
            ]
        ids = sorted({r.case_id for r in due if r.case_id})
        await record_reads(session, context.actor, "case.list", ids)
    labels = {case_id: names[case_id] for case_id in ids if case_id in names}
    due.sort(key=lambda r: (r.due, r.kind, r.case_id or 0))
    shown, rest = due[:MAX_DIGEST_ITEMS], due[MAX_DIGEST_ITEMS:]
    message = PersonalDigest(turn.today, group_for_digest(shown, turn.today), labels)
    reply = digest_reply(message, flows)
    heading = "Försenat" if recognition.intent == Intent.OVERDUE else "Idag och försenat"
    replies = [Reply(text=f"**{heading}:** {len(due)} att göra.", card=reply.card)]
    if rest:
        lines = [
            f"- {format_day_month(r.due)} – **{_names(labels, r.case_id)}**: {r.detail}"
            + (f" {guardian_text(labels.get(r.case_id or 0))}" if r.guardian_first else "")
            for r in rest
        ]
        replies.append(Reply(text="**Fler:**\n\n" + "\n".join(lines)))
    return replies


async def _not_reached(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    async with transaction(context.cases.sessionmaker) as session:
        mine = await _my_facts(session, context.actor)
        unreached = [loaded.facts for loaded in mine if not loaded.facts.ever_reached]
        if not unreached:
            return [
                Reply(
                    text="Du har etablerad kontakt med alla dina ungdomar." if mine else _NO_CASES
                )
            ]
        unreached.sort(key=lambda f: f.registered_on)
        shown = [f.case_id for f in unreached[:LIST_LIMIT]]
        labels = await _labels(session, context, shown, "case.list")
    lines = []
    for facts in unreached[:LIST_LIMIT]:
        first, last = facts.history.first_attempt, facts.history.last_attempt
        if first is None or last is None:
            attempts = ", inget försök ännu"
        elif first == last:
            attempts = f", försök {format_day_month(last)}"
        else:
            attempts = f", försök {format_day_month(first)}–{format_day_month(last)}"
        days = (turn.today - facts.registered_on).days
        lines.append(
            f"- **{_names(labels, facts.case_id)}** – registrerad för {days} dagar sedan{attempts}"
        )
    text = f"**Ingen etablerad kontakt ännu ({len(unreached)}):**\n\n" + "\n".join(lines)
    text += more_text(LIST_LIMIT, len(unreached))
    return [Reply(text=text, suggestions=("logga kontakt",))]


async def _enrolled(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    actor = context.actor
    async with context.cases.sessionmaker() as session:
        rows = await session.execute(
            select(Youth.gender, func.count(KaaCase.id), func.count(KaaCase.assigned_staff_id))
            .join(Youth, Youth.id == KaaCase.youth_id)
            .where(KaaCase.municipality_id == actor.municipality_id, KaaCase.status == "active")
            .group_by(Youth.gender)
        )
        counts = {gender: (total, assigned) for gender, total, assigned in rows}
        mine = await session.scalar(
            select(func.count(KaaCase.id)).where(
                KaaCase.municipality_id == actor.municipality_id,
                KaaCase.status == "active",
                KaaCase.assigned_staff_id == actor.staff_id,
            )
        )
    total = sum(total for total, _assigned in counts.values())
    unassigned = total - sum(assigned for _total, assigned in counts.values())
    women, men = counts.get("kvinna", (0, 0))[0], counts.get("man", (0, 0))[0]
    text = (
        f"**{total}** ungdomar är inskrivna i aktivitetsansvaret just nu "
        f"({women} kvinnor, {men} män)."
    )
    if actor.role == "coordinator":
        text += f" Du har {mine} av dem."
    if unassigned:
        text += f" {unassigned} saknar handläggare."
    return [Reply(text=text)]


async def _my_cases(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    actor = context.actor
    async with transaction(context.cases.sessionmaker) as session:
        rows = (
            await session.execute(
                select(KaaCase.id, Youth.first_name, Youth.last_name, KaaCase.registered_on)
                .join(Youth, Youth.id == KaaCase.youth_id)
                .where(
                    KaaCase.municipality_id == actor.municipality_id,
                    KaaCase.status == "active",
                    KaaCase.assigned_staff_id == actor.staff_id,
                )
                .order_by(Youth.first_name, Youth.last_name, KaaCase.id)
            )
        ).all()
        await record_reads(session, actor, "case.list", [row[0] for row in rows[:LIST_LIMIT]])
    if not rows:
        return [Reply(text=_NO_CASES)]
    lines = [
        f"- **{first} {last}** (ärende {case_id}), registrerad {format_date(registered)}"
        for case_id, first, last, registered in rows[:LIST_LIMIT]
    ]
    text = f"**Dina ärenden ({len(rows)}):**\n\n" + "\n".join(lines)
    text += more_text(LIST_LIMIT, len(rows))
    suggestions = tuple(f"visa {first} {last}" for _id, first, last, _reg in rows[:3])
    return [Reply(text=text, suggestions=suggestions)]


async def _new_this_week(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    actor = context.actor
    monday = turn.today - timedelta(days=turn.today.weekday())
    async with transaction(context.cases.sessionmaker) as session:
        rows = (
            await session.execute(
                select(
                    KaaCase.id, Youth.first_name, Youth.last_name, KaaCase.registered_on, Staff.name
                )
                .join(Youth, Youth.id == KaaCase.youth_id)
                .outerjoin(Staff, Staff.id == KaaCase.assigned_staff_id)
                .where(
                    KaaCase.municipality_id == actor.municipality_id,
                    KaaCase.registered_on >= monday,
                    KaaCase.registered_on <= turn.today,
                )
                .order_by(KaaCase.registered_on, KaaCase.id)
            )
        ).all()
        await record_reads(session, actor, "case.list", [row[0] for row in rows[:LIST_LIMIT]])
    if not rows:
        return [
            Reply(
                text=f"Inga nya ungdomar har registrerats sedan måndag {format_day_month(monday)}."
            )
        ]
    lines = [
        f"- **{first} {last}** – {format_day_month(registered)}, "
        + (f"handläggare {staff}" if staff else "ingen handläggare ännu")
        for _id, first, last, registered, staff in rows[:LIST_LIMIT]
    ]
    text = f"**Nya denna vecka ({len(rows)}):**\n\n" + "\n".join(lines)
    return [Reply(text=text + more_text(LIST_LIMIT, len(rows)))]


async def _turning_20(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    actor = context.actor
    # Birth dates that make someone 20 within the window (a little wider for 29 February).
    earliest = date(turn.today.year - 20, 1, 1)
    statement = (
        select(KaaCase.id, Youth.first_name, Youth.last_name, Youth.birth_date)
        .join(Youth, Youth.id == KaaCase.youth_id)
        .where(
            KaaCase.municipality_id == actor.municipality_id,
            KaaCase.status == "active",
            Youth.birth_date >= earliest,
        )
    )
    if actor.role == "coordinator":
        statement = statement.where(KaaCase.assigned_staff_id == actor.staff_id)
    until = turn.today + timedelta(days=TURNING_20_DAYS)
    async with transaction(context.cases.sessionmaker) as session:
        rows = [
            (turns_20_on(birth), case_id, first, last)
            for case_id, first, last, birth in await session.execute(statement)
            if turn.today <= turns_20_on(birth) <= until
        ]
        rows.sort()
        await record_reads(session, actor, "case.list", [row[1] for row in rows[:LIST_LIMIT]])
    if not rows:
        whose = "dina ungdomar" if actor.role == "coordinator" else "ungdomarna"
        text = f"Ingen av {whose} fyller 20 de närmaste {TURNING_20_DAYS} dagarna."
        return [Reply(text=text)]
    lines = [
        f"- **{first} {last}** fyller 20 {format_date(day)}"
        for day, _id, first, last in rows[:LIST_LIMIT]
    ]
    text = (
        f"**Fyller 20 inom {TURNING_20_DAYS} dagar ({len(rows)}):**\n\n"
        + "\n".join(lines)
        + more_text(LIST_LIMIT, len(rows))
        + "\n\nPå 20-årsdagen avslutas ärendet med orsak ”fyllt 20 år”."
    )
    return [Reply(text=text)]


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _split_text(figure: Any) -> str:
    if figure.total is None:
        return "–"
    return f"{_number(figure.total)} (kvinnor {_number(figure.kvinna)}, män {_number(figure.man)})"


def kpi_card(figures: KeyFigures) -> dict[str, Any]:
    """The board's figures with a pie of the gender split and bars per reason and measure."""
    card = fill_card("kpi", {})
    blocks = blocks_by_id(card)
    period = figures.period
    blocks["title"]["text"] = f"Nyckeltal – {figures.municipality_name}"
    blocks["period"]["text"] = (
        f"{period.label.capitalize()} ({period.start.isoformat()} – {period.end.isoformat()})"
    )
    keys = (
        "i_kaa",
        "i_aktivitet",
        "ej_kontaktade",
        "studerar_eller_sysselsatta",
        "ater_till_gymnasiet",
        "nya_registreringar",
        "kontakt_inom_4_veckor",
        "median_dagar_till_kontakt",
    )
    blocks["figures"]["facts"] = [
        {"title": figures.get(key).label, "value": _split_text(figures.get(key))} for key in keys
    ]
    in_kaa = figures.get("i_kaa")
    blocks["gender"]["data"] = [
        {"legend": "Kvinnor", "value": in_kaa.kvinna},
        {"legend": "Män", "value": in_kaa.man},
    ]
    blocks["reasons"]["data"] = [
        {"x": f.category_label, "y": f.total} for f in figures.breakdown("registreringar_per_orsak")
    ]
    blocks["measures"]["data"] = [
        {"x": f.category_label, "y": f.total} for f in figures.breakdown("insatser_per_typ")
    ]
    for chart in ("gender", "reasons", "measures"):
        if not any(point.get("value", point.get("y")) for point in blocks[chart]["data"]):
            card["body"].remove(blocks[chart])
    return card


async def _kpi(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    if context.actor.role not in REPORT_ROLES:
        return [Reply(text="Nyckeltalen är till för handläggare och chefer.")]
    try:
        period = (
            parse_period(recognition.period)
            if recognition.period
            else current_half_year(turn.today)
        )
    except PeriodError as error:
        return [Reply(text=str(error))]
    figures = await key_figures(context.cases.sessionmaker, context.actor, period)
    return [
        Reply(
            text=f"Nyckeltalen för {period.label}. Skriv till exempel **nyckeltal 2026-03** "
            "eller **nyckeltal 2025/26** för en annan period.",
            card=kpi_card(figures),
        )
    ]


ANSWERS: dict[Intent, Answer] = {
    Intent.TODAY: with_unattended(_today),
    Intent.OVERDUE: _today,
    Intent.NOT_REACHED: _not_reached,
    Intent.ENROLLED: _enrolled,
    Intent.MY_CASES: _my_cases,
    Intent.NEW_THIS_WEEK: _new_this_week,
    Intent.TURNING_20: _turning_20,
    Intent.KPI: _kpi,
    Intent.SCB: scb_answer,
    Intent.GRANSKNING: granskning_answer,
    Intent.DISTRIBUTE: distribute,
    Intent.WORKLOAD: workload,
}


async def answer(
    recognition: Recognition, turn: Turn, context: FlowContext, flows: Iterable[str]
) -> list[Reply]:
    """The answer to a recognised quick question (not SHOW_CASE: that is the case view's)."""
    assert recognition.intent is not None and recognition.intent in ANSWERS
    return await ANSWERS[recognition.intent](recognition, turn, context, flows)
