"""The daily digest as an Adaptive Card: overdue, today, this week, each with its buttons.

It goes only to the staff member's own 1:1 chat, so it may name the youths.
Buttons: *Klar* starts the dialog that documents what the reminder asks for
(``{"flow": …, "case_id": …, "reminder": …}``), *Skjut upp* hides the reminder
for a day or a week, *Öppna ärende* shows the case. Each button gets its own
submission id, so pressing one never makes another count as already sent.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from functools import cache
from typing import Any

from dialogs.cards import fill_card
from dialogs.dates import format_day_month
from dialogs.engine import Reply
from dialogs.flow_names import FlowName
from scheduler.messages import CaseLabel, PersonalDigest
from scheduler.rules import DueReminder, Kind, Turning20
from storage.personnummer import format_personnummer

REMINDER_ACTION = "reminder_action"

# The dialog that documents what each reminder asks for.
FLOW_FOR_KIND: dict[Kind, FlowName] = {
    Kind.FIRST_CONTACT: FlowName.CONTACT,
    Kind.CONTACT_FOLLOWUP: FlowName.CONTACT,
    Kind.CONTACT_GOAL: FlowName.CONTACT,
    Kind.REGULAR_FOLLOWUP: FlowName.CONTACT,
    Kind.HOME_VISIT_FOLLOWUP: FlowName.CONTACT,
    Kind.MEASURE_FOLLOWUP: FlowName.CONTACT,
    Kind.HOME_VISIT: FlowName.HOME_VISIT,
    Kind.PLAN_MISSING: FlowName.PLAN,
    Kind.MEASURE_EVALUATION: FlowName.EVALUATE_MEASURE,
    Kind.MEASURE_END_OVERDUE: FlowName.END_MEASURE,
}

_SECTIONS = (("overdue", "Försenat"), ("today", "Idag"), ("this_week", "Den här veckan"))


def flow_for(reminder: DueReminder) -> FlowName | None:
    """The dialog for *Klar*; None when the reminder is simply acknowledged."""
    if reminder.kind == Kind.TURNING_20:
        return FlowName.CLOSE_CASE if reminder.variant == Turning20.CLOSE else None
    return FLOW_FOR_KIND.get(reminder.kind)


def _reminder_data(reminder: DueReminder) -> dict[str, Any]:
    return {
        "reminder": reminder.key,
        "kind": str(reminder.kind),
        "case_id": reminder.case_id,
        "due": reminder.due.isoformat(),
    }


def done_data(reminder: DueReminder) -> dict[str, Any]:
    flow = flow_for(reminder)
    if flow is None or reminder.case_id is None:
        return {REMINDER_ACTION: "done", **_reminder_data(reminder)}
    data = {"flow": flow, "case_id": reminder.case_id, "reminder": reminder.key}
    if reminder.measure_id is not None:
        data["measure_id"] = reminder.measure_id
    return data


def _who(reminder: DueReminder, label: CaseLabel | None) -> str:
    if reminder.case_id is None:
        return "SCB-rapportering"
    if label is None:
        return f"Ärende {reminder.case_id}"
    return f"{label.first_name} {label.last_name} ({format_personnummer(label.personnummer)})"


def guardian_text(label: CaseLabel | None) -> str:
    """Whom to contact for a minor, with the phone number: for the staff's own 1:1 chat."""
    if label is None or not label.guardians:
        return "Ingen vårdnadshavare är registrerad i ärendet."
    return "Vårdnadshavare: " + "; ".join(
        f"{name}, {phone}" if phone else f"{name} (telefonnummer saknas)"
        for name, phone in label.guardians
    )


def _due_text(reminder: DueReminder, today: date) -> str:
    if reminder.due < today:
        return f"Skulle gjorts {format_day_month(reminder.due)}"
    if reminder.due == today:
        return "Idag"
    return f"Senast {format_day_month(reminder.due)}"


@cache
def _item_template() -> str:
    # Parsing the item's JSON is several times cheaper than fill_card's deep copy, and a
    # digest has up to twenty items (every action gets its own submission id below).
    return json.dumps(fill_card("digest_item", {}))


def _item(reminder: DueReminder, message: PersonalDigest) -> dict[str, Any]:
    item = json.loads(_item_template())
    label = message.cases.get(reminder.case_id or 0)
    detail = reminder.detail
    if reminder.guardian_first:
        detail += "\n\n" + guardian_text(label)
    texts = {
        "who": _who(reminder, label),
        "detail": detail,
        "due": _due_text(reminder, message.today),
    }
    data = {
        "done": done_data(reminder),
        "snooze_day": {REMINDER_ACTION: "snooze", "days": 1, **_reminder_data(reminder)},
        "snooze_week": {REMINDER_ACTION: "snooze", "days": 7, **_reminder_data(reminder)},
        "open": {"flow": FlowName.SHOW_CASE, "case_id": reminder.case_id},
    }
    for block in item["items"]:
        if block.get("id") in texts:
            block["text"] = texts[block["id"]]
        if block.get("type") == "ActionSet":
            block["actions"] = [
                {**action, "data": {**data[action["id"]], "submission": uuid.uuid4().hex}}
                for action in block["actions"]
                if reminder.case_id is not None or action["id"] != "open"
            ]
    return item


def unattended_note(counts: str) -> str:
    """What a manager is told, in the digest and first in "vad har jag idag?", of the cases
    that reach no coordinator (``counts``: scheduler.unattended.unattended_text)."""
    return f"**Ingen följer upp:** {counts} Skriv **fördela** eller **arbetsfördelning**."


def _count(n: int) -> str:
    return "1 påminnelse" if n == 1 else f"{n} påminnelser"


def digest_reply(message: PersonalDigest) -> Reply:
    """The digest card."""
    digest = message.digest
    total = len(digest.overdue) + len(digest.today) + len(digest.this_week)
    card = fill_card("digest", {})
    intro = f"{_count(total) if total else 'Inga påminnelser'} – {format_day_month(message.today)}."
    if message.more:
        intro += (
            f" {_count(message.more)} till väntar; skriv **vad har jag idag?** för hela listan."
        )
    for block in card["body"]:
        if block.get("id") == "intro":
            block["text"] = intro
    if message.unattended:
        card["body"].append(
            {
                "type": "TextBlock",
                "text": unattended_note(message.unattended),
                "wrap": True,
                "color": "Attention",
            }
        )
    for attribute, heading in _SECTIONS:
        reminders = getattr(digest, attribute)
        if not reminders:
            continue
        card["body"].append(
            {
                "type": "TextBlock",
                "text": f"{heading} ({len(reminders)})",
                "weight": "Bolder",
                "spacing": "Large",
                "color": "Attention" if attribute == "overdue" else "Default",
            }
        )
        card["body"] += [_item(reminder, message) for reminder in reminders]
    if not total:
        return Reply(text=f"God morgon! Ingen följer upp: {message.unattended}", card=card)
    return Reply(text=f"God morgon! Här är dina påminnelser: {_count(total)}.", card=card)
