"""The registerutdrag as plain Swedish text: the same facts as its JSON, in reading order."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from storage import codes
from storage.history import FIELD_NAMES, RECORD_NAMES, Record
from storage.personnummer import format_personnummer

_CORRECTED = {
    Record.YOUTH: "personuppgifterna",
    Record.GUARDIAN: "en vårdnadshavare",
    Record.CONTACT: "en kontakt",
    Record.OCCUPATION: "en sysselsättning",
    Record.PLAN: "planens uppföljning",
    Record.HOME_VISIT: "ett hembesök",
    Record.MEASURE: "en insats",
}
_REMOVED = {
    Record.CONTACT: "en kontakt",
    Record.OCCUPATION: "en sysselsättning",
    Record.HOME_VISIT: "ett hembesök",
    Record.MEASURE: "en insats",
}
Json = dict[str, Any]

_AUDIT_ACTIONS = {
    "youth.create": "skapade personuppgifterna",
    "youth.extract": "tog ut registerutdrag",
    "audit.read": "läste granskningsloggen",
    "case.register": "registrerade ärendet",
    "case.found": "sökte upp ärendet",
    "case.read": "läste ärendet",
    "case.assign": "bytte handläggare",
    "case.close": "avslutade ärendet",
    "contact.log": "dokumenterade en kontakt",
    "occupation.record": "dokumenterade sysselsättning",
    "plan.revise": "ändrade planen",
    "consent.record": "dokumenterade samtycke",
    "measure.add": "lade till en insats",
    "measure.end": "avslutade en insats",
    "measure.evaluate": "utvärderade en insats",
    "home_visit.plan": "planerade ett hembesök",
    "home_visit.record": "dokumenterade ett hembesök",
    "home_visit.notice": "skickade avisering om hembesök",
    "letter.write": "skrev brev",
    "case.transfer_out": "flyttade över ärendet till en annan kommun",
    "case.transfer_in": "tog emot ärendet från en annan kommun",
    "measure.cancel": "avbröt en insats före starten",
    **{f"{record}.correct": f"rättade {name}" for record, name in _CORRECTED.items()},
    **{f"{record}.remove": f"tog bort {name} som felaktig" for record, name in _REMOVED.items()},
}


def format_text(extract: Json, zone: ZoneInfo) -> str:
    """The extract as plain Swedish text; times in the given zone."""

    def when(moment: str | None) -> str:
        if moment is None:
            return "–"
        return datetime.fromisoformat(moment).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    def staff_name(member: Json | None) -> str:
        return f"{member['name']} ({member['role']['label']})" if member else "–"

    def value(item: Any) -> str:
        if item is None or item == "":
            return "–"
        if isinstance(item, bool):
            return "ja" if item else "nej"
        if isinstance(item, dict) and "label" in item:
            return str(item["label"])
        return str(item)

    youth = extract["youth"]
    municipality = extract["municipality"]
    lines = [
        f"REGISTERUTDRAG – {municipality['name']} ({municipality['code']})",
        f"Uttaget {when(extract['created_at'])}",
        "",
        "PERSONUPPGIFTER",
        f"Personnummer: {format_personnummer(youth['personnummer'])}"
        + (" (samordningsnummer)" if youth["is_samordningsnummer"] else ""),
        f"Namn: {youth['first_name']} {youth['last_name']}",
        f"Födelsedatum: {youth['birth_date']}",
        f"Kön: {youth['gender']}",
        f"Adress: {value(youth['address'])}, {value(youth['postal_code'])} {value(youth['city'])}",
        f"Telefon: {value(youth['phone'])}",
        f"E-post: {value(youth['email'])}",
        f"Skyddad identitet: {value(youth['protected_identity'])}",
        f"Avidentifierad: {value(youth['anonymised_on'])}",
        f"Registrerad i systemet: {when(youth['created_at'])}",
    ]
    for guardian in youth["guardians"]:
        lines.append(
            f"Vårdnadshavare: {guardian['name']}, telefon {value(guardian['phone'])}, "
            f"e-post {value(guardian['email'])}, adress "
            + value(
                ", ".join(
                    part
                    for part in (guardian["address"], guardian["postal_code"], guardian["city"])
                    if part
                )
                or None
            )
        )
    lines += _changes(youth["changes"], when, staff_name)
    for case in extract["cases"]:
        lines += [
            "",
            f"ÄRENDE {case['id']} ({codes.CASE_STATUSES.get(case['status'], case['status'])})",
            f"Registrerad: {case['registered_on']}",
            f"Orsak: {value(case['registration_reason'])}",
            f"Källa: {value(case['source'])}",
            f"Skola: {value(case['school'])}",
            f"Handläggare: {staff_name(case['assigned_staff'])}",
        ]
        if case["deregistered_on"]:
            lines.append(
                f"Avslutat: {case['deregistered_on']}, {value(case['deregistration_reason'])}"
                + (f" – {case['deregistration_note']}" if case["deregistration_note"] else "")
            )
        if case["moved_to"]:
            lines.append(f"Flyttat till kommunkod {case['moved_to']}: {value(case['moved_on'])}")
        lines.append("Kontakter:" if case["contacts"] else "Kontakter: inga")
        for contact in case["contacts"]:
            lines.append(
                f"  {contact['occurred_on']} {value(contact['channel'])}, "
                f"{value(contact['counterpart'])}, {value(contact['outcome'])}; "
                f"anteckning: {value(contact['note'])}; av {staff_name(contact['staff'])}"
            )
        lines.append("Sysselsättning:" if case["occupations"] else "Sysselsättning: ingen uppgift")
        for occupation in case["occupations"]:
            lines.append(
                f"  från {occupation['valid_from']} {value(occupation['kind'])} "
                f"{occupation['extent_percent']} %; anteckning: {value(occupation['note'])}"
            )
        lines.append("Kartläggning/plan:" if case["plans"] else "Kartläggning/plan: ingen")
        for plan in case["plans"]:
            lines.append(
                f"  version {plan['revision']} ({when(plan['created_at'])}): mål: "
                f"{value(plan['goals'])}; behov: {value(plan['needs'])}; förväntningar: "
                f"{value(plan['expectations'])}; uppföljning: {value(plan['follow_up_on'])}"
            )
        lines.append("Samtycken:" if case["consents"] else "Samtycken: inga")
        for consent in case["consents"]:
            lines.append(
                f"  givet {consent['given_on']} för {consent['actors']}; "
                f"återkallat: {value(consent['withdrawn_on'])}"
            )
        lines.append("Insatser:" if case["measures"] else "Insatser: inga")
        for measure in case["measures"]:
            cancelled = " – avbruten före starten" if measure["cancelled"] else ""
            lines.append(
                f"  {value(measure['measure_type'])} (insats {measure['id']}, "
                f"version {measure['revision']}{cancelled}): {value(measure['description'])}"
            )
            for revision in measure["revisions"]:
                snapshot = revision["snapshot"]
                fields = "; ".join(
                    f"{name}: {value(item)}" for name, item in snapshot.items() if item is not None
                )
                lines.append(
                    f"    version {revision['revision']} ({when(revision['created_at'])}, "
                    f"{staff_name(revision['staff'])}): {fields}"
                )
        lines.append("Hembesök:" if case["home_visits"] else "Hembesök: inga")
        for visit in case["home_visits"]:
            lines.append(
                f"  planerat {visit['planned_on']}, genomfört {value(visit['visited_on'])}, "
                f"utfall {value(visit['outcome'])}; anteckning: {value(visit['note'])}"
            )
        lines.append("Påminnelser:" if case["reminders"] else "Påminnelser: inga")
        for reminder in case["reminders"]:
            lines.append(
                f"  {reminder['kind']} senast {reminder['due_on']}, uppskjuten till "
                f"{value(reminder['snoozed_until'])}, klar {when(reminder['done_at'])}"
            )
        lines += _changes(case["changes"], when, staff_name)
        if case["removed"]:
            lines.append("Borttaget som felaktigt:")
        for removed in case["removed"]:
            lines.append(
                f"  {_record_name(removed['record'])} {removed['record_id']} "
                f"({when(removed['removed_at'])}, {staff_name(removed['staff'])}): "
                f"{removed['reason']}; uppgifterna var: "
                + "; ".join(
                    f"{name}: {item}"
                    for name, item in removed["snapshot"].items()
                    if item is not None and name != "revisions"
                )
            )
    lines += ["", "VEM HAR LÄST ELLER ÄNDRAT UPPGIFTERNA"]
    for entry in extract["audit"]:
        who = staff_name(entry["staff"]) if entry["staff"] else entry["actor"]
        case_part = f" (ärende {entry['case_id']})" if entry["case_id"] else ""
        action = _AUDIT_ACTIONS.get(entry["action"], entry["action"])
        lines.append(f"  {when(entry['at'])} {who} {action}{case_part}")
    return "\n".join(lines)


def _record_name(record: str) -> str:
    # A StrEnum member is its value, so the stored text finds it.
    return RECORD_NAMES.get(record, record)


def _changes(changes: list[Json], when: Any, staff_name: Any) -> list[str]:
    """The history of corrected fields: what each was and became, when and by whom."""
    if not changes:
        return []
    lines = ["Ändringar:"]
    for change in changes:
        field = FIELD_NAMES.get(change["field"], change["field"])
        lines.append(
            f"  {when(change['changed_at'])} {staff_name(change['staff'])}: "
            f"{_record_name(change['record'])} {change['record_id']}, {field}: "
            f"{change['old_value'] or '–'} → {change['new_value'] or '–'}"
        )
    return lines
