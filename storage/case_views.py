"""A case as the dialogs see it: plain records, built from the rows `storage.case_queries`
reads (scoped to the reader's municipality and audited there).

- `FoundCase`: a case a search lists, by its youth's name.
- `CaseBrief`: the case a dialog works on, with its measures and home visits and the
  municipality's settings (its measure types, its routine).
- `CaseView`: everything the case view shows.

No address when the youth has protected identity (storage.privacy decides).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Load, selectinload

from storage import codes
from storage.codes import CaseStatus
from storage.measures import SavedMeasure
from storage.models import KaaCase, Youth
from storage.privacy import address_text, visible_address
from storage.records import FromRow
from storage.reports.granskning import GradingCase
from storage.reports.granskning_cases import GRADING_RECORDS, grading_case

# The case's own records, loaded beside it: what the case view shows and a registerutdrag
# extracts.
CASE_RECORDS: tuple[Load, ...] = (*GRADING_RECORDS, selectinload(KaaCase.consents))


@dataclass(frozen=True)
class MunicipalitySettings:
    """A municipality's settings (its measure types, its routine), as stored."""

    id: int
    settings: dict[str, Any]

    @property
    def measure_types(self) -> dict[str, str]:
        return codes.measure_types(self.settings)


@dataclass(frozen=True)
class FoundCase:
    """A case a search lists: whose it is and whether it is open."""

    case_id: int
    status: str
    first_name: str
    last_name: str
    personnummer: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def label(self) -> str:
        closed = ", avslutat" if self.status != CaseStatus.ACTIVE else ""
        return f"{self.name} (ärende {self.case_id}{closed})"


@dataclass(frozen=True)
class HomeVisitRecord(FromRow):
    id: int
    planned_on: date
    notice_sent_on: date | None
    visited_on: date | None
    outcome: str | None
    note: str | None


@dataclass(frozen=True)
class CaseBrief(FoundCase):
    """The case a dialog works on."""

    version: int
    registered_on: date
    protected_identity: bool
    address: str | None
    municipality: MunicipalitySettings
    measures: tuple[SavedMeasure, ...]
    home_visits: tuple[HomeVisitRecord, ...]

    @property
    def open_measures(self) -> tuple[SavedMeasure, ...]:
        return tuple(m for m in self.measures if m.open)

    @property
    def planned_visits(self) -> tuple[HomeVisitRecord, ...]:
        return tuple(v for v in self.home_visits if v.outcome is None)


@dataclass(frozen=True)
class YouthRecord(FromRow):
    """The youth's own details; no address parts when the identity is protected."""

    first_name: str
    last_name: str
    birth_date: date
    gender: str
    phone: str | None
    email: str | None
    address: str | None
    postal_code: str | None
    city: str | None
    protected_identity: bool


@dataclass(frozen=True)
class GuardianRecord(FromRow):
    id: int
    name: str
    phone: str | None
    email: str | None
    # Where the guardian gets letters (storage.privacy decides whether it may be printed).
    address: str | None
    postal_code: str | None
    city: str | None


@dataclass(frozen=True)
class ContactRecord(FromRow):
    id: int
    occurred_on: date
    channel: str
    counterpart: str
    outcome: str
    note: str | None


@dataclass(frozen=True)
class OccupationRecord(FromRow):
    id: int
    kind: str
    extent_percent: int
    valid_from: date
    note: str | None


@dataclass(frozen=True)
class PlanRecord(FromRow):
    revision: int
    created_at: datetime
    goals: str
    needs: str | None
    expectations: str | None
    follow_up_on: date | None


@dataclass(frozen=True)
class ConsentRecord(FromRow):
    given_on: date
    actors: str
    # A consent to hand the case over to this municipality (kommunkod) when the youth moves.
    handover_to: str | None
    withdrawn_on: date | None


@dataclass(frozen=True)
class CaseView(CaseBrief):
    """Everything the case view shows; records oldest first."""

    youth: YouthRecord
    # What to print where the address goes: the address, a protected notice, or a dash.
    address_text: str
    guardians: tuple[GuardianRecord, ...]
    registration_reason: str
    source: str
    school: str | None
    assigned_staff_id: int | None
    assigned_staff_name: str | None
    deregistered_on: date | None
    deregistration_reason: str | None
    deregistration_note: str | None
    # Closed as moved: the new municipality's kommunkod and the day of the move.
    moved_to: str | None
    moved_on: date | None
    contacts: tuple[ContactRecord, ...]
    occupations: tuple[OccupationRecord, ...]
    plans: tuple[PlanRecord, ...]
    consents: tuple[ConsentRecord, ...]
    # The case as granskning grades it (storage.reports.granskning).
    grading: GradingCase


def found_case(case: KaaCase) -> FoundCase:
    youth = case.youth
    return FoundCase(case.id, case.status, youth.first_name, youth.last_name, youth.personnummer)


def _brief_values(case: KaaCase, municipality: MunicipalitySettings) -> dict[str, Any]:
    youth: Youth = case.youth
    return {
        "case_id": case.id,
        "status": case.status,
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "personnummer": youth.personnummer,
        "version": case.version,
        "registered_on": case.registered_on,
        "protected_identity": youth.protected_identity,
        "address": visible_address(youth),
        "municipality": municipality,
        "measures": tuple(SavedMeasure.of(m) for m in case.measures),
        "home_visits": tuple(HomeVisitRecord.of(v) for v in case.home_visits),
    }


def case_brief(case: KaaCase, municipality: MunicipalitySettings) -> CaseBrief:
    """The brief of a case loaded with its youth, measures and home visits."""
    return CaseBrief(**_brief_values(case, municipality))


def _youth_record(youth: Youth) -> YouthRecord:
    record = YouthRecord.of(youth)
    if youth.protected_identity:
        return replace(record, address=None, postal_code=None, city=None)
    return record


def case_view(case: KaaCase, municipality: MunicipalitySettings) -> CaseView:
    """The view of a case loaded with its youth, guardians, assigned staff and CASE_RECORDS."""
    youth = case.youth
    return CaseView(
        **_brief_values(case, municipality),
        youth=_youth_record(youth),
        address_text=address_text(youth),
        guardians=tuple(GuardianRecord.of(g) for g in youth.guardians),
        registration_reason=case.registration_reason,
        source=case.source,
        school=case.school,
        assigned_staff_id=case.assigned_staff_id,
        assigned_staff_name=case.assigned_staff.name if case.assigned_staff else None,
        deregistered_on=case.deregistered_on,
        deregistration_reason=case.deregistration_reason,
        deregistration_note=case.deregistration_note,
        moved_to=case.moved_to,
        moved_on=case.moved_on,
        contacts=tuple(ContactRecord.of(c) for c in case.contacts),
        occupations=tuple(OccupationRecord.of(o) for o in case.occupations),
        plans=tuple(PlanRecord.of(p) for p in case.plan_revisions),
        consents=tuple(ConsentRecord.of(c) for c in case.consents),
        grading=grading_case(case),
    )
