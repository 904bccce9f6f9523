"""The case API: the only way to change case data. Every call is scoped and audited, and
every rule of the law and the routine is checked here before anything is written (the dates
in `storage.date_rules`, a youth's fields in `storage.youth_fields`): the chat explains a
refusal, it is not the guard. Measures live in `storage.case_measures`, corrections and
removals in `storage.corrections`; this module holds the rest and the whole service.

`today` is the day the coordinator acts, in the municipality's time zone: what has happened
cannot lie after it. A judgement (a contact before the registration) raises
NeedsConfirmation unless the call says `confirmed=True`.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from storage import access, codes, date_rules
from storage.audit import Actor, record
from storage.case_base import note_text, require_code
from storage.case_errors import CaseError, NeedsConfirmation, NotAllowed, NotFound, StaleCase
from storage.case_inputs import (
    Closing,
    ContactInput,
    GuardianInput,
    HomeVisitInput,
    LetterAttempt,
    MeasureEnd,
    MeasureInput,
    PlanInput,
    Registration,
    RegistrationInput,
)
from storage.case_letters import LETTER_OUTCOME, LetterAttempts
from storage.case_measures import DECLINED_END_REASON
from storage.case_visits import HomeVisits
from storage.caseload import Caseload
from storage.codes import CaseStatus
from storage.colleagues import Colleague
from storage.corrections import Corrections
from storage.models import (
    Consent,
    ContactEvent,
    Guardian,
    KaaCase,
    Measure,
    Municipality,
    Occupation,
    PlanRevision,
    Staff,
    Youth,
)
from storage.moving import MovingError, record_move
from storage.personnummer import parse_personnummer
from storage.youth_fields import tidy_registration

# The inputs and refusals are part of this module's interface; they live apart to keep it short.
__all__ = [
    "DECLINED_END_REASON",
    "LETTER_OUTCOME",
    "CaseError",
    "CaseService",
    "Closing",
    "ContactInput",
    "GuardianInput",
    "HomeVisitInput",
    "LetterAttempt",
    "MeasureEnd",
    "MeasureInput",
    "NeedsConfirmation",
    "NotAllowed",
    "NotFound",
    "PlanInput",
    "Registration",
    "RegistrationInput",
    "StaleCase",
]
_ONLY_ADMINS_ADD_STAFF = "Bara en administratör kan lägga till personal."
# Built once: every chat turn looks up who is writing.
_ACTIVE_STAFF = select(Staff).where(Staff.aad_object_id == bindparam("aad_object_id"), Staff.active)


class CaseService(HomeVisits, LetterAttempts, Corrections, Caseload):
    async def add_municipality(
        self, actor: Actor, code: str, name: str, settings: dict[str, object] | None = None
    ) -> Municipality:
        if not (code.isdigit() and len(code) == 4):
            raise CaseError("Kommunkoden ska vara fyra siffror, till exempel 0580.")
        async with self._transaction() as session:
            if await session.scalar(select(Municipality).where(Municipality.code == code)):
                raise CaseError(f"Kommunen med kod {code} finns redan.")
            municipality = Municipality(code=code, name=name.strip(), settings=settings or {})
            session.add(municipality)
            await session.flush()
            record(session, actor, "municipality.add", detail=f"kommunkod {code}")
            return municipality

    async def municipality_by_code(self, code: str) -> Municipality:
        async with self._sessionmaker() as session:
            municipality = await session.scalar(
                select(Municipality).where(Municipality.code == code)
            )
        if municipality is None:
            raise NotFound(f"Det finns ingen kommun med kod {code}.")
        return municipality

    async def add_staff(
        self,
        actor: Actor,
        aad_object_id: str,
        name: str,
        role: str,
        municipality_code: str | None = None,
    ) -> Staff:
        """Only the system or an admin adds staff; an admin only to their own municipality,
        which is also where staff go when no code is given."""
        access.require(actor, access.ADMINISTRATORS, _ONLY_ADMINS_ADD_STAFF)
        require_code(codes.ROLES, role, "roll")
        if not 0 < len(name.strip()) <= Staff.name.type.length:
            raise CaseError(f"Namnet ska ha 1–{Staff.name.type.length} tecken.")
        if municipality_code is None:
            async with self._sessionmaker() as session:
                municipality = await session.get(Municipality, actor.municipality_id)
            if municipality is None:
                raise NotFound("Ange vilken kommun personen ska höra till.")
        else:
            municipality = await self.municipality_by_code(municipality_code)
        access.require_administrator(
            actor,
            municipality.id,
            _ONLY_ADMINS_ADD_STAFF,
            "Du kan bara lägga till personal i din egen kommun.",
        )
        async with self._transaction() as session:
            if await session.scalar(select(Staff).where(Staff.aad_object_id == aad_object_id)):
                raise CaseError("Den personen finns redan som personal.")
            staff = Staff(
                aad_object_id=aad_object_id,
                name=name.strip(),
                role=role,
                municipality_id=municipality.id,
            )
            session.add(staff)
            await session.flush()
            record(session, actor, "staff.add", detail=f"roll {role}, personal {staff.id}")
            return staff

    async def staff_by_aad_id(self, aad_object_id: str) -> Staff | None:
        async with self._sessionmaker() as session:
            return await session.scalar(_ACTIVE_STAFF, {"aad_object_id": aad_object_id})

    async def municipality_staff(self, actor: Actor) -> list[Colleague]:
        """The active staff of the actor's municipality, oldest first."""
        async with self._sessionmaker() as session:
            found = await session.scalars(
                select(Staff)
                .where(Staff.municipality_id == actor.municipality_id, Staff.active)
                .order_by(Staff.id)
            )
            return [Colleague.of(member) for member in found]

    async def register_youth(
        self,
        actor: Actor,
        data: RegistrationInput,
        *,
        today: date,
        new_period: bool = False,
        complete: bool = False,
    ) -> Registration:
        """Register a youth; an already registered personnummer returns its case instead,
        with the empty fields filled in from `data` when `complete` (a file read again)."""
        self._require_writer(actor)
        require_code(codes.REGISTRATION_REASONS, data.registration_reason, "orsak")
        require_code(codes.SOURCES, data.source, "källa")
        data = tidy_registration(data)
        pnr = parse_personnummer(data.personnummer, data.registered_on)
        date_rules.registration(data.registered_on, pnr.birth_date, today)
        async with self._transaction() as session:
            if data.assigned_staff_id is not None:
                assignee = await session.get(Staff, data.assigned_staff_id)
                if assignee is None or assignee.municipality_id != actor.municipality_id:
                    raise NotFound("Hittar ingen sådan handläggare i din kommun.")
            youth = await session.scalar(
                select(Youth)
                .where(
                    Youth.municipality_id == actor.municipality_id,
                    Youth.personnummer == pnr.digits,
                )
                .options(selectinload(Youth.cases), selectinload(Youth.guardians))
            )
            if youth is not None:
                active = [case for case in youth.cases if case.status == CaseStatus.ACTIVE]
                latest = active[0] if active else youth.cases[-1]
                if active or not new_period:
                    record(session, actor, "case.found", case_id=latest.id, youth_id=youth.id)
                    filled, differing = (
                        await self._complete_youth(session, actor, youth, latest, data)
                        if complete and active
                        else ((), ())
                    )
                    return Registration(
                        case_id=latest.id,
                        created=False,
                        closed_case_id=None if active else latest.id,
                        filled=filled,
                        differing=differing,
                    )
                date_rules.new_period(data.registered_on, latest.deregistered_on)
            else:
                youth = Youth(
                    municipality_id=actor.municipality_id,
                    personnummer=pnr.digits,
                    is_samordningsnummer=pnr.is_samordningsnummer,
                    birth_date=pnr.birth_date,
                    gender=pnr.gender,
                    first_name=data.first_name,
                    last_name=data.last_name,
                    address=data.address,
                    postal_code=data.postal_code,
                    city=data.city,
                    phone=data.phone,
                    email=data.email,
                    protected_identity=bool(data.protected_identity),
                    guardians=[Guardian(**asdict(g)) for g in data.guardians],
                )
                session.add(youth)
                await session.flush()
                record(session, actor, "youth.create", youth_id=youth.id)
            case = KaaCase(
                municipality_id=actor.municipality_id,
                youth_id=youth.id,
                registered_on=data.registered_on,
                registration_reason=data.registration_reason,
                source=data.source,
                school=data.school,
                assigned_staff_id=data.assigned_staff_id or actor.staff_id,
            )
            session.add(case)
            await session.flush()
            record(session, actor, "case.register", case_id=case.id, youth_id=youth.id)
            self.changed = True
            return Registration(case_id=case.id, created=True)

    async def log_contact(
        self,
        actor: Actor,
        case_id: int,
        data: ContactInput,
        *,
        today: date,
        occupation: str | None = None,
        confirmed: bool = False,
    ) -> int:
        """Log a contact; `occupation` is what the youth does now, learned in the contact."""
        require_code(codes.CONTACT_CHANNELS, data.channel, "kanal")
        require_code(codes.COUNTERPARTS, data.counterpart, "motpart")
        require_code(codes.CONTACT_OUTCOMES, data.outcome, "utfall")
        if occupation is not None:
            require_code(codes.OCCUPATIONS, occupation, "sysselsättning")
        note = note_text(data.note)
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            date_rules.contact(data.occurred_on, case.registered_on, today, confirmed)
            event = ContactEvent(
                case_id=case.id,
                staff_id=actor.staff_id,
                occurred_on=data.occurred_on,
                channel=data.channel,
                counterpart=data.counterpart,
                outcome=data.outcome,
                note=note,
            )
            session.add(event)
            await session.flush()
            record(session, actor, "contact.log", case_id=case.id, detail=f"kontakt {event.id}")
            if occupation is not None:
                session.add(
                    Occupation(
                        case_id=case.id,
                        kind=occupation,
                        valid_from=data.occurred_on,
                        staff_id=actor.staff_id,
                    )
                )
                record(session, actor, "occupation.record", case_id=case.id, detail=occupation)
            return event.id

    async def record_occupation(
        self,
        actor: Actor,
        case_id: int,
        kind: str,
        valid_from: date,
        extent_percent: int = 100,
        note: str | None = None,
        *,
        today: date,
        confirmed: bool = False,
    ) -> int:
        require_code(codes.OCCUPATIONS, kind, "sysselsättning")
        if not 1 <= extent_percent <= 100:
            raise CaseError("Omfattningen anges i procent, 1–100.")
        date_rules.occupation(valid_from, today, confirmed)
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            occupation = Occupation(
                case_id=case.id,
                kind=kind,
                valid_from=valid_from,
                extent_percent=extent_percent,
                note=note_text(note),
                staff_id=actor.staff_id,
            )
            session.add(occupation)
            await session.flush()
            record(session, actor, "occupation.record", case_id=case.id, detail=kind)
            return occupation.id

    async def revise_plan(self, actor: Actor, case_id: int, data: PlanInput, *, today: date) -> int:
        if not data.goals.strip():
            raise CaseError("Planen behöver ungdomens mål.")
        date_rules.plan_follow_up(data.follow_up_on, today)
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            latest = await session.scalar(
                select(PlanRevision.revision)
                .where(PlanRevision.case_id == case.id)
                .order_by(PlanRevision.revision.desc())
                .limit(1)
            )
            revision = (latest or 0) + 1
            session.add(
                PlanRevision(
                    case_id=case.id,
                    revision=revision,
                    staff_id=actor.staff_id,
                    goals=data.goals,
                    needs=data.needs,
                    expectations=data.expectations,
                    follow_up_on=data.follow_up_on,
                )
            )
            record(session, actor, "plan.revise", case_id=case.id, detail=f"version {revision}")
            return revision

    async def record_consent(
        self, actor: Actor, case_id: int, given_on: date, actors: str, *, today: date
    ) -> int:
        if not actors.strip():
            raise CaseError("Skriv vilka aktörer samtycket gäller.")
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            date_rules.consent(given_on, case.registered_on, today)
            consent = Consent(
                case_id=case.id, given_on=given_on, actors=actors.strip(), staff_id=actor.staff_id
            )
            session.add(consent)
            await session.flush()
            record(session, actor, "consent.record", case_id=case.id)
            return consent.id

    async def withdraw_consent(
        self, actor: Actor, case_id: int, withdrawn_on: date, *, today: date
    ) -> int:
        """Mark every consent in force as withdrawn; returns how many there were."""
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            consents = list(
                await session.scalars(
                    select(Consent).where(
                        Consent.case_id == case.id, Consent.withdrawn_on.is_(None)
                    )
                )
            )
            if not consents:
                raise CaseError("Det finns inget samtycke att återkalla i ärendet.")
            for consent in consents:
                date_rules.withdrawal(withdrawn_on, consent.given_on, today)
                consent.withdrawn_on = withdrawn_on
            record(
                session, actor, "consent.withdraw", case_id=case.id, detail=f"{len(consents)} st"
            )
            return len(consents)

    async def close_case(
        self,
        actor: Actor,
        case_id: int,
        closing: Closing,
        expected_version: int,
        *,
        today: date,
    ) -> int | None:
        """Deregister; always with a reason, and never leaving a measure open: one that has
        started by the closing day is ended that day, one that has not is cancelled.

        Returns the new case's id when a moved youth's case was transferred."""
        require_code(codes.DEREGISTRATION_REASONS, closing.reason, "avregistreringsorsak")
        if closing.reason == codes.OTHER and not (closing.note or "").strip():
            raise CaseError("Vid orsaken ”annan” behöver du skriva vad orsaken är.")
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, expected_version)
            youth = await session.get_one(Youth, case.youth_id)
            closed_on = closing.deregistered_on
            date_rules.closing(
                closed_on, closing.reason, case.registered_on, youth.birth_date, today
            )
            ends = {end.measure_id: end for end in closing.measure_ends}
            measures = await session.scalars(
                select(Measure).where(Measure.case_id == case.id, Measure.ended_on.is_(None))
            )
            still_open = []
            for measure in measures:
                end = ends.get(measure.id)
                if end is None or not end.reason.strip():
                    still_open.append(codes.label(codes.MEASURE_TYPES, measure.measure_type))
                    continue
                if measure.starts_on is not None and measure.starts_on > end.ended_on:
                    self._cancel(measure, end.ended_on, end.reason, today)
                else:
                    self._end(measure, end.ended_on, end.reason, today)
                self._add_revision(session, actor, measure)
            if still_open:
                raise CaseError(
                    "Avsluta först de pågående insatserna, med datum och orsak: "
                    + ", ".join(still_open)
                    + "."
                )
            case.status = CaseStatus.CLOSED
            case.deregistered_on = closed_on
            case.deregistration_reason = closing.reason
            case.deregistration_note = note_text(closing.note)
            record(session, actor, "case.close", case_id=case.id, detail=closing.reason)
            if closing.moving is None:
                return None
            try:
                return await record_move(session, actor, case, closing.reason, closing.moving)
            except MovingError as error:
                raise CaseError(str(error)) from error
