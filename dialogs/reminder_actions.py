"""The digest card's buttons that act on the reminder itself: done and snooze (*Öppna ärende*
and the *Klar* that documents something start their dialogs).

Card data comes back from the client, so it is checked like any other input; a
button that does not make sense gets a Swedish answer, never a crash.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dialogs.context import FlowContext
from dialogs.dates import format_day_month
from dialogs.digest import REMINDER_ACTION
from dialogs.engine import Reply, Turn
from scheduler.calendar import add_working_days
from scheduler.rules import Kind
from storage.cases import CaseError
from storage.reminders import ReminderRef, ReminderStore

UNKNOWN = "Jag känner inte igen den knappen. Vänta på nästa sammanfattning, eller skriv **hjälp**."
SNOOZE_DAYS = {1, 7}


def is_reminder_action(turn: Turn) -> bool:
    return bool(turn.value) and REMINDER_ACTION in (turn.value or {})


def _reference(value: dict[str, Any]) -> ReminderRef | None:
    key, kind, case_id, due = (value.get(k) for k in ("reminder", "kind", "case_id", "due"))
    if not isinstance(key, str) or kind not in {k.value for k in Kind}:
        return None
    if case_id is not None and not (isinstance(case_id, int) or str(case_id).isdigit()):
        return None
    try:
        due_on = date.fromisoformat(str(due))
    except ValueError:
        return None
    return ReminderRef(
        key=key, kind=kind, case_id=int(case_id) if case_id is not None else None, due_on=due_on
    )


def snooze_until(today: date, days: int) -> date:
    """One day means the next working day, when the next digest goes out."""
    return add_working_days(today, 1) if days == 1 else today + timedelta(days=days)


async def handle_reminder_action(turn: Turn, context: FlowContext) -> list[Reply]:
    value = turn.value or {}
    action = value.get(REMINDER_ACTION)
    reminder = _reference(value)
    if reminder is None:
        return [Reply(text=UNKNOWN)]
    store = ReminderStore(context.source)
    try:
        if action == "done":
            await store.mark_done(context.actor, reminder)
            return [Reply(text="Bra! Påminnelsen är avklarad.")]
        if action == "snooze":
            days = value.get("days")
            if days not in SNOOZE_DAYS:
                return [Reply(text=UNKNOWN)]
            until = snooze_until(turn.today, days)
            await store.snooze(context.actor, reminder, until)
            return [Reply(text=f"Okej, jag påminner dig igen {format_day_month(until)}.")]
    except CaseError as error:
        return [Reply(text=str(error))]
    return [Reply(text=UNKNOWN)]
