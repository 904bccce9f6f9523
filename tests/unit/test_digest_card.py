"""The digest card: sections, the texts of each item and the data behind its buttons."""

from __future__ import annotations

from datetime import date

from dialogs.digest import digest_reply
from scheduler.messages import CaseLabel, PersonalDigest
from scheduler.rules import DueReminder, Kind, group_for_digest

TODAY = date(2026, 3, 4)


def _reminder(kind: Kind, case_id: int | None, due: date, **extra) -> DueReminder:
    key = f"{kind}:{case_id}:{due.isoformat()}" if case_id else f"{kind}:2026H1:x:days_7"
    return DueReminder(kind=kind, case_id=case_id, due=due, key=key, detail=f"Text {kind}", **extra)


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _buttons(card) -> dict[str, list[dict]]:
    """Button title -> the data of every button with that title, in card order."""
    found: dict[str, list[dict]] = {}
    for node in _walk(card):
        if node.get("type") == "Action.Submit":
            found.setdefault(node["title"], []).append(node["data"])
    return found


def _message() -> PersonalDigest:
    reminders = [
        _reminder(Kind.FIRST_CONTACT, 11, date(2026, 3, 2)),
        _reminder(Kind.PLAN_MISSING, 12, TODAY),
        _reminder(Kind.MEASURE_EVALUATION, 13, date(2026, 3, 9), measure_id=5),
        _reminder(Kind.SCB_DEADLINE, None, TODAY),
    ]
    return PersonalDigest(
        today=TODAY,
        digest=group_for_digest(reminders, TODAY),
        cases={
            11: CaseLabel("200805011234", "Elin", "Andersson"),
            12: CaseLabel("200806021234", "Hugo", "Berg"),
            13: CaseLabel("200807031234", "Saga", "Lind"),
        },
        more=3,
    )


def test_sections_texts_and_names():
    reply = digest_reply(_message(), ["kontakt", "utvardera_insats", "visa"])
    card = reply.card

    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    texts = [node["text"] for node in _walk(card) if node.get("type") == "TextBlock"]
    assert "Försenat (1)" in texts and "Idag (2)" in texts and "Den här veckan (1)" in texts
    assert "Elin Andersson (20080501-1234)" in texts
    assert "SCB-rapportering" in texts
    assert any("3 påminnelser till väntar" in text for text in texts)
    assert texts.index("Försenat (1)") < texts.index("Idag (2)") < texts.index("Den här veckan (1)")


def test_klar_opens_the_matching_dialog_or_says_it_is_not_there():
    card = digest_reply(_message(), ["kontakt", "utvardera_insats", "visa"]).card
    klar = _buttons(card)["Klar"]

    overdue_contact, plan, scb, evaluation = klar
    assert {k: overdue_contact[k] for k in ("flow", "case_id", "reminder")} == {
        "flow": "kontakt",
        "case_id": 11,
        "reminder": "first_contact:11:2026-03-02",
    }
    assert plan["reminder_action"] == "document" and plan["flow_name"] == "plan"
    assert scb["reminder_action"] == "done" and scb["case_id"] is None
    assert evaluation["flow"] == "utvardera_insats" and evaluation["measure_id"] == 5


def test_snooze_and_open_buttons():
    buttons = _buttons(digest_reply(_message(), ["visa"]).card)

    assert [b["days"] for b in buttons["Skjut upp 1 dag"]] == [1, 1, 1, 1]
    assert [b["days"] for b in buttons["Skjut upp 1 vecka"]] == [7, 7, 7, 7]
    assert {b["reminder_action"] for b in buttons["Skjut upp 1 dag"]} == {"snooze"}
    # No case behind the SCB reminder, so nothing to open.
    assert [b["case_id"] for b in buttons["Öppna ärende"]] == [11, 12, 13]
    assert {b["flow"] for b in buttons["Öppna ärende"]} == {"visa"}
    without_view = _buttons(digest_reply(_message(), []).card)["Öppna ärende"]
    assert {b["reminder_action"] for b in without_view} == {"open"}


def test_every_button_has_its_own_submission_id():
    buttons = _buttons(digest_reply(_message(), ["kontakt"]).card)
    ids = [data["submission"] for datas in buttons.values() for data in datas]
    assert len(ids) == len(set(ids)) == 15
