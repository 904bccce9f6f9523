"""'hur många är inskrivna?', 'mina ärenden', 'nya denna vecka' and 'vilka fyller 20 snart?':
lists of cases read in storage/case_lists.py (scoped and audited there), written out here."""

from __future__ import annotations

from datetime import timedelta

from dialogs.context import FlowContext
from dialogs.dates import format_date, format_day_month
from dialogs.engine import Reply, Turn
from dialogs.intents import Recognition
from dialogs.lists import LIST_LIMIT, more_text
from dialogs.texts import NO_CASES
from storage import access

TURNING_20_DAYS = 60


async def enrolled_answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    counts = await context.lists.enrolled(context.actor)
    text = (
        f"**{counts.total}** ungdomar är inskrivna i aktivitetsansvaret just nu "
        f"({counts.women} kvinnor, {counts.men} män)."
    )
    if access.own_cases_of(context.actor) is not None:
        text += f" Du har {counts.mine} av dem."
    if counts.unassigned:
        text += f" {counts.unassigned} saknar handläggare."
    return [Reply(text=text)]


async def my_cases_answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    found = await context.lists.mine(context.actor, LIST_LIMIT)
    if not found.shown:
        return [Reply(text=NO_CASES)]
    lines = [
        f"- **{case.name}** (ärende {case.case_id}), registrerad {format_date(case.registered_on)}"
        for case in found.shown
    ]
    text = f"**Dina ärenden ({found.total}):**\n\n" + "\n".join(lines)
    suggestions = tuple(f"visa {case.name}" for case in found.shown[:3])
    return [Reply(text=text + more_text(len(found.shown), found.total), suggestions=suggestions)]


async def new_this_week_answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    monday = turn.today - timedelta(days=turn.today.weekday())
    found = await context.lists.registered_between(
        context.actor, monday, turn.today, LIST_LIMIT
    )
    if not found.shown:
        text = f"Inga nya ungdomar har registrerats sedan måndag {format_day_month(monday)}."
        return [Reply(text=text)]
    lines = [
        f"- **{case.name}** – {format_day_month(case.registered_on)}, "
        + (f"handläggare {case.staff_name}" if case.staff_name else "ingen handläggare ännu")
        for case in found.shown
    ]
    text = f"**Nya denna vecka ({found.total}):**\n\n" + "\n".join(lines)
    return [Reply(text=text + more_text(len(found.shown), found.total))]


async def turning_20_answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    actor = context.actor
    found = await context.lists.turning_20(
        actor, turn.today, TURNING_20_DAYS, LIST_LIMIT
    )
    if not found.shown:
        whose = "dina ungdomar" if access.own_cases_of(actor) is not None else "ungdomarna"
        text = f"Ingen av {whose} fyller 20 de närmaste {TURNING_20_DAYS} dagarna."
        return [Reply(text=text)]
    lines = [
        f"- **{case.name}** fyller 20 {format_date(case.turns_20_on)}" for case in found.shown
    ]
    text = (
        f"**Fyller 20 inom {TURNING_20_DAYS} dagar ({found.total}):**\n\n"
        + "\n".join(lines)
        + more_text(len(found.shown), found.total)
        + "\n\nPå 20-årsdagen avslutas ärendet med orsak ”fyllt 20 år”."
    )
    return [Reply(text=text)]
