"""'vad har jag idag?', 'försenade' and 'vilka har jag inte nått?': the asker's reminders due
now, as the digest card, and their cases not reached yet (read in scheduler/personal.py)."""

from __future__ import annotations

from dialogs.context import FlowContext
from dialogs.dates import format_day_month
from dialogs.digest import digest_reply, guardian_text
from dialogs.engine import Reply, Turn
from dialogs.intents import Intent, Recognition
from dialogs.lists import LIST_LIMIT, more_text
from dialogs.texts import NO_CASES
from scheduler.messages import MAX_DIGEST_ITEMS, CaseLabel, PersonalDigest
from scheduler.personal import due_now, unreached
from scheduler.rules import group_for_digest


def _name(label: CaseLabel | None, case_id: int | None) -> str:
    return f"{label.first_name} {label.last_name}" if label else f"ärende {case_id}"


async def today_answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    overdue = recognition.intent == Intent.OVERDUE
    now = await due_now(context.source, context.actor, turn.today, overdue_only=overdue)
    if not now.reminders:
        if not now.has_cases:
            return [Reply(text=NO_CASES)]
        if overdue:
            return [Reply(text="Inget är försenat. Bra jobbat!")]
        return [Reply(text="Du har inget som är försenat eller ska göras idag.")]
    due, labels = now.reminders, now.labels
    shown, rest = due[:MAX_DIGEST_ITEMS], due[MAX_DIGEST_ITEMS:]
    message = PersonalDigest(turn.today, group_for_digest(shown, turn.today), labels)
    card = digest_reply(message).card
    heading = "Försenat" if overdue else "Idag och försenat"
    replies = [Reply(text=f"**{heading}:** {len(due)} att göra.", card=card)]
    if rest:
        lines = [
            f"- {format_day_month(r.due)} – **{_name(labels.get(r.case_id or 0), r.case_id)}**: "
            f"{r.detail}"
            + (f" {guardian_text(labels.get(r.case_id or 0))}" if r.guardian_first else "")
            for r in rest
        ]
        replies.append(Reply(text="**Fler:**\n\n" + "\n".join(lines)))
    return replies


async def not_reached_answer(
    recognition: Recognition, turn: Turn, context: FlowContext
) -> list[Reply]:
    found = await unreached(context.source, context.actor, LIST_LIMIT)
    if not found.shown:
        text = "Du har etablerad kontakt med alla dina ungdomar." if found.has_cases else NO_CASES
        return [Reply(text=text)]
    lines = []
    for facts, label in found.shown:
        first, last = facts.history.first_attempt, facts.history.last_attempt
        if first is None or last is None:
            attempts = ", inget försök ännu"
        elif first == last:
            attempts = f", försök {format_day_month(last)}"
        else:
            attempts = f", försök {format_day_month(first)}–{format_day_month(last)}"
        days = (turn.today - facts.registered_on).days
        lines.append(
            f"- **{_name(label, facts.case_id)}** – registrerad för {days} dagar sedan{attempts}"
        )
    text = f"**Ingen etablerad kontakt ännu ({found.total}):**\n\n" + "\n".join(lines)
    return [
        Reply(text=text + more_text(LIST_LIMIT, found.total), suggestions=("logga kontakt",))
    ]
