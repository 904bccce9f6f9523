"""Registerutdrag (GDPR art. 15): everything the municipality stores about one person.

`build_registerutdrag` returns a JSON-ready dict in the format `kaa-registerutdrag/1` described
in the README; `storage.registerutdrag_text.format_text` renders the same dict as Swedish text,
so both always hold the same facts. The history is part of it: every corrected field with the
value it had, and every entry removed as a mistake with its reason. Making an extract is
itself a read of the person's data and is audited — the extract's own audit entry is part
of the extract.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storage import codes
from storage.audit import Actor, record
from storage.audit_trail import about_youth
from storage.cases import NotFound
from storage.history import Record
from storage.models import (
    AuditEntry,
    Correction,
    KaaCase,
    Measure,
    Municipality,
    Reminder,
    RemovedEntry,
    Staff,
    Youth,
    as_utc,
)
from storage.personnummer import parse_personnummer
from storage.sessions import SessionSource, transaction

FORMAT = "kaa-registerutdrag/1"
_YOUTH_RECORDS = {Record.YOUTH.value, Record.GUARDIAN.value}

Json = dict[str, Any]


async def build_registerutdrag(
    sessionmaker: SessionSource, actor: Actor, personnummer: str, today: date
) -> Json:
    """The extract for one personnummer in the actor's municipality; PersonnummerError or
    NotFound when there is nothing to extract."""
    digits = parse_personnummer(personnummer, today).digits
    async with transaction(sessionmaker) as session:
        youth = await session.scalar(
            select(Youth)
            .where(Youth.municipality_id == actor.municipality_id, Youth.personnummer == digits)
            .options(
                selectinload(Youth.guardians),
                selectinload(Youth.cases).options(
                    selectinload(KaaCase.contacts),
                    selectinload(KaaCase.occupations),
                    selectinload(KaaCase.plan_revisions),
                    selectinload(KaaCase.consents),
                    selectinload(KaaCase.measures).selectinload(Measure.revisions),
                    selectinload(KaaCase.home_visits),
                ),
            )
        )
        if youth is None:
            raise NotFound("Det finns inga uppgifter om det personnumret i kommunen.")
        record(session, actor, "youth.extract", youth_id=youth.id)
        await session.flush()
        case_ids = [case.id for case in youth.cases]
        municipality = await session.get_one(Municipality, youth.municipality_id)
        reminders = list(
            await session.scalars(
                select(Reminder)
                .where(Reminder.case_id.in_(case_ids))
                .order_by(Reminder.due_on, Reminder.id)
            )
        )
        corrections = list(
            await session.scalars(
                select(Correction)
                .where(Correction.youth_id == youth.id)
                .order_by(Correction.changed_at, Correction.id)
            )
        )
        removed = list(
            await session.scalars(
                select(RemovedEntry)
                .where(RemovedEntry.case_id.in_(case_ids))
                .order_by(RemovedEntry.removed_at, RemovedEntry.id)
            )
        )
        audit = list(
            await session.scalars(
                select(AuditEntry)
                .where(about_youth(youth.id))
                .order_by(AuditEntry.at, AuditEntry.id)
            )
        )
        staff = {
            member.id: member
            for member in await session.scalars(
                select(Staff).where(
                    Staff.id.in_(_staff_ids(youth, audit, [*corrections, *removed]))
                )
            )
        }
    return {
        "format": FORMAT,
        "created_at": _moment(datetime.now(UTC)),
        "municipality": {"code": municipality.code, "name": municipality.name},
        "youth": {
            **_youth(youth),
            "changes": [_change(c, staff) for c in corrections if c.record in _YOUTH_RECORDS],
        },
        "cases": [
            {
                **_case(case, staff, [r for r in reminders if r.case_id == case.id]),
                "changes": [
                    _change(c, staff)
                    for c in corrections
                    if c.case_id == case.id and c.record not in _YOUTH_RECORDS
                ],
                "removed": [_removed(r, staff) for r in removed if r.case_id == case.id],
            }
            for case in youth.cases
        ],
        "audit": [_audit(entry, staff) for entry in audit],
    }


def _staff_ids(
    youth: Youth, audit: Iterable[AuditEntry], history: Iterable[Correction | RemovedEntry]
) -> set[int]:
    ids: set[int | None] = {entry.staff_id for entry in audit}
    ids.update(item.staff_id for item in history)
    for case in youth.cases:
        ids.add(case.assigned_staff_id)
        ids.update(item.staff_id for item in case.contacts)
        ids.update(item.staff_id for item in case.occupations)
        ids.update(item.staff_id for item in case.plan_revisions)
        ids.update(item.staff_id for item in case.consents)
        for measure in case.measures:
            ids.update(revision.staff_id for revision in measure.revisions)
        for visit in case.home_visits:
            ids.update((visit.first_staff_id, visit.second_staff_id))
    return {staff_id for staff_id in ids if staff_id is not None}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    if value is None:
        return None
    return as_utc(value).astimezone(UTC).isoformat(timespec="seconds")


def _coded(table: dict[str, str], code: str | None) -> Json | None:
    return {"code": code, "label": codes.label(table, code)} if code else None


def _staff(staff: dict[int, Staff], staff_id: int | None) -> Json | None:
    member = staff.get(staff_id) if staff_id is not None else None
    if member is None:
        return None
    return {"id": member.id, "name": member.name, "role": _coded(codes.ROLES, member.role)}


def _youth(youth: Youth) -> Json:
    return {
        "personnummer": youth.personnummer,
        "is_samordningsnummer": youth.is_samordningsnummer,
        "birth_date": _day(youth.birth_date),
        "gender": youth.gender,
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "address": youth.address,
        "postal_code": youth.postal_code,
        "city": youth.city,
        "phone": youth.phone,
        "email": youth.email,
        "protected_identity": youth.protected_identity,
        "anonymised_on": _day(youth.anonymised_on),
        "created_at": _moment(youth.created_at),
        "guardians": [
            {
                "name": guardian.name,
                "phone": guardian.phone,
                "email": guardian.email,
                "address": guardian.address,
                "postal_code": guardian.postal_code,
                "city": guardian.city,
            }
            for guardian in youth.guardians
        ],
    }


def _case(case: KaaCase, staff: dict[int, Staff], reminders: list[Reminder]) -> Json:
    return {
        "id": case.id,
        "status": case.status,
        "registered_on": _day(case.registered_on),
        "registration_reason": _coded(codes.REGISTRATION_REASONS, case.registration_reason),
        "source": _coded(codes.SOURCES, case.source),
        "school": case.school,
        "assigned_staff": _staff(staff, case.assigned_staff_id),
        "deregistered_on": _day(case.deregistered_on),
        "deregistration_reason": _coded(codes.DEREGISTRATION_REASONS, case.deregistration_reason),
        "deregistration_note": case.deregistration_note,
        "moved_to": case.moved_to,
        "moved_on": _day(case.moved_on),
        "created_at": _moment(case.created_at),
        "updated_at": _moment(case.updated_at),
        "contacts": [
            {
                "id": contact.id,
                "occurred_on": _day(contact.occurred_on),
                "channel": _coded(codes.CONTACT_CHANNELS, contact.channel),
                "counterpart": _coded(codes.COUNTERPARTS, contact.counterpart),
                "outcome": _coded(codes.CONTACT_OUTCOMES, contact.outcome),
                "note": contact.note,
                "staff": _staff(staff, contact.staff_id),
                "created_at": _moment(contact.created_at),
            }
            for contact in sorted(case.contacts, key=lambda item: (item.occurred_on, item.id))
        ],
        "occupations": [
            {
                "id": occupation.id,
                "kind": _coded(codes.OCCUPATIONS, occupation.kind),
                "extent_percent": occupation.extent_percent,
                "valid_from": _day(occupation.valid_from),
                "note": occupation.note,
                "staff": _staff(staff, occupation.staff_id),
                "created_at": _moment(occupation.created_at),
            }
            for occupation in sorted(case.occupations, key=lambda item: (item.valid_from, item.id))
        ],
        "plans": [
            {
                "revision": plan.revision,
                "goals": plan.goals,
                "needs": plan.needs,
                "expectations": plan.expectations,
                "follow_up_on": _day(plan.follow_up_on),
                "staff": _staff(staff, plan.staff_id),
                "created_at": _moment(plan.created_at),
            }
            for plan in case.plan_revisions
        ],
        "consents": [
            {
                "id": consent.id,
                "given_on": _day(consent.given_on),
                "actors": consent.actors,
                "handover_to": consent.handover_to,
                "withdrawn_on": _day(consent.withdrawn_on),
                "staff": _staff(staff, consent.staff_id),
            }
            for consent in case.consents
        ],
        "measures": [_measure(measure, staff) for measure in case.measures],
        "home_visits": [
            {
                "id": visit.id,
                "planned_on": _day(visit.planned_on),
                "first_staff": _staff(staff, visit.first_staff_id),
                "second_staff": _staff(staff, visit.second_staff_id),
                "notice_sent_on": _day(visit.notice_sent_on),
                "visited_on": _day(visit.visited_on),
                "outcome": _coded(codes.HOME_VISIT_OUTCOMES, visit.outcome),
                "note": visit.note,
            }
            for visit in sorted(case.home_visits, key=lambda item: (item.planned_on, item.id))
        ],
        "reminders": [
            {
                "id": reminder.id,
                "kind": reminder.kind,
                "due_on": _day(reminder.due_on),
                "done_at": _moment(reminder.done_at),
                "snoozed_until": _day(reminder.snoozed_until),
            }
            for reminder in reminders
        ],
    }


def _measure(measure: Measure, staff: dict[int, Staff]) -> Json:
    return {
        "id": measure.id,
        "measure_type": _coded(codes.MEASURE_TYPES, measure.measure_type),
        "description": measure.description,
        "goal": measure.goal,
        "youth_responsibility": measure.youth_responsibility,
        "municipality_responsibility": measure.municipality_responsibility,
        "other_actor": measure.other_actor,
        "other_actor_responsibility": measure.other_actor_responsibility,
        "starts_on": _day(measure.starts_on),
        "ends_on": _day(measure.ends_on),
        "follow_up_on": _day(measure.follow_up_on),
        "evaluate_on": _day(measure.evaluate_on),
        "declined": measure.declined,
        "cancelled": measure.cancelled,
        "ended_on": _day(measure.ended_on),
        "end_reason": measure.end_reason,
        "evaluated_on": _day(measure.evaluated_on),
        "evaluation_outcome": measure.evaluation_outcome,
        "evaluation_effect": measure.evaluation_effect,
        "revision": measure.revision,
        "created_at": _moment(measure.created_at),
        "revisions": [
            {
                "revision": revision.revision,
                "snapshot": revision.snapshot,
                "staff": _staff(staff, revision.staff_id),
                "created_at": _moment(revision.created_at),
            }
            for revision in measure.revisions
        ],
    }


def _audit(entry: AuditEntry, staff: dict[int, Staff]) -> Json:
    return {
        "at": _moment(entry.at),
        "action": entry.action,
        "case_id": entry.case_id,
        "actor": entry.actor,
        "staff": _staff(staff, entry.staff_id),
        "detail": entry.detail,
    }


def _change(change: Correction, staff: dict[int, Staff]) -> Json:
    return {
        "record": change.record,
        "record_id": change.record_id,
        "case_id": change.case_id,
        "field": change.field,
        "old_value": change.old_value,
        "new_value": change.new_value,
        "staff": _staff(staff, change.staff_id),
        "changed_at": _moment(change.changed_at),
    }


def _removed(entry: RemovedEntry, staff: dict[int, Staff]) -> Json:
    return {
        "record": entry.record,
        "record_id": entry.record_id,
        "reason": entry.reason,
        "snapshot": entry.snapshot,
        "staff": _staff(staff, entry.staff_id),
        "removed_at": _moment(entry.removed_at),
    }
