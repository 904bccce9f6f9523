"""The case API: the only way to change case data. Every call is scoped and audited."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage import codes
from storage.audit import Actor, record
from storage.models import (
    Consent,
    ContactEvent,
    Guardian,
    HomeVisit,
    KaaCase,
    Measure,
    MeasureRevision,
    Municipality,
    Occupation,
    PlanRevision,
    Staff,
    Youth,
    utcnow,
)
from storage.moving import Moving, MovingError, record_move
from storage.personnummer import parse_personnummer
from storage.sessions import SessionSource, transaction

DECLINED_END_REASON = "Ungdomen tackade nej till insatsen."
# Built once: every chat turn looks up who is writing.
_ACTIVE_STAFF = select(Staff).where(Staff.aad_object_id == bindparam("aad_object_id"), Staff.active)
# A letter is an attempt to reach the youth, not an established contact.
LETTER_OUTCOME = "ej_nadd"


class CaseError(Exception):
    """A refusal with a Swedish message the user can act on."""


class NotFound(CaseError):
    pass


class StaleCase(CaseError):
    def __init__(self) -> None:
        super().__init__(
            "Ärendet har ändrats av någon annan sedan du öppnade det. "
            "Öppna det igen och gör ändringen på nytt."
        )


class NotAllowed(CaseError):
    pass


@dataclass(frozen=True)
class GuardianInput:
    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None


@dataclass(frozen=True)
class RegistrationInput:
    personnummer: str
    first_name: str
    last_name: str
    registered_on: date
    registration_reason: str
    source: str
    address: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: str | None = None
    email: str | None = None
    protected_identity: bool = False
    guardians: tuple[GuardianInput, ...] = ()
    assigned_staff_id: int | None = None
    school: str | None = None


@dataclass(frozen=True)
class Registration:
    case_id: int
    created: bool
    closed_case_id: int | None = None


@dataclass(frozen=True)
class ContactInput:
    occurred_on: date
    channel: str
    counterpart: str
    outcome: str
    note: str | None = None


@dataclass(frozen=True)
class LetterAttempt:
    """A letter to the youth or a guardian, recorded as a contact attempt by letter.

    ``key`` names the letter without personal data (kind, day, recipient): the same
    letter written again is the same attempt, recorded once.
    """

    key: str
    counterpart: str
    note: str


@dataclass(frozen=True)
class PlanInput:
    goals: str
    needs: str | None = None
    expectations: str | None = None
    follow_up_on: date | None = None


@dataclass(frozen=True)
class MeasureInput:
    measure_type: str
    description: str | None = None
    goal: str | None = None
    youth_responsibility: str | None = None
    municipality_responsibility: str | None = None
    other_actor: str | None = None
    other_actor_responsibility: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    follow_up_on: date | None = None
    evaluate_on: date | None = None
    declined: bool = False


@dataclass(frozen=True)
class HomeVisitInput:
    planned_on: date
    first_staff_id: int | None
    second_staff_id: int | None
    notice_sent_on: date | None = None


@dataclass
class MeasureEnd:
    measure_id: int
    ended_on: date
    reason: str


@dataclass(frozen=True)
class Closing:
    deregistered_on: date
    reason: str
    note: str | None = None
    measure_ends: tuple[MeasureEnd, ...] = field(default_factory=tuple)
    # Reason "flyttat": where to, when, and the handover consent and transfer (storage.moving).
    moving: Moving | None = None


def _require_code(table: dict[str, str], code: str, what: str) -> None:
    if code not in table:
        choices = ", ".join(table.values())
        raise CaseError(f"Okänt värde för {what}. Välj något av: {choices}.")


def _measure_snapshot(measure: Measure) -> dict[str, object]:
    columns = Measure.__table__.columns.keys()
    return {
        name: (value.isoformat() if isinstance(value, date) else value)
        for name, value in ((name, getattr(measure, name)) for name in columns)
        if name not in {"id", "case_id", "created_at", "revision"}
    }


class CaseService:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker
        # Whether a call of this service changed case data (a chat turn's receipt says so).
        self.changed = False

    @property
    def sessionmaker(self) -> SessionSource:
        """For queries beside the service (storage.case_queries): in a chat turn the turn's
        own session, so they see what the turn wrote."""
        return self._sessionmaker

    def _transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        return transaction(self._sessionmaker)

    async def _case(self, session: AsyncSession, actor: Actor, case_id: int) -> KaaCase:
        case = await session.get(KaaCase, case_id)
        if case is None or case.municipality_id != actor.municipality_id:
            raise NotFound(f"Hittar inget ärende med nummer {case_id}.")
        return case

    @staticmethod
    def _require_writer(actor: Actor) -> None:
        if actor.role == "manager":
            raise NotAllowed("Som chef kan du läsa ärenden men inte ändra dem.")

    async def _touch(
        self, session: AsyncSession, case: KaaCase, expected_version: int | None = None
    ) -> None:
        """Bump the case version; with `expected_version`, refuse a stale change."""
        statement = update(KaaCase).where(KaaCase.id == case.id)
        if expected_version is not None:
            statement = statement.where(KaaCase.version == expected_version)
        result = await session.execute(
            statement.values(version=KaaCase.version + 1, updated_at=utcnow()).execution_options(
                synchronize_session=False
            )
        )
        if result.rowcount != 1:
            raise StaleCase()
        await session.refresh(case)

    async def _writable_case(
        self, session: AsyncSession, actor: Actor, case_id: int, expected_version: int | None
    ) -> KaaCase:
        self._require_writer(actor)
        case = await self._case(session, actor, case_id)
        if case.status != "active":
            raise CaseError("Ärendet är avslutat. Registrera en ny period om ungdomen är tillbaka.")
        await self._touch(session, case, expected_version)
        self.changed = True
        return case

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
        if actor.role not in {"system", "admin"}:
            raise NotAllowed("Bara en administratör kan lägga till personal.")
        _require_code(codes.ROLES, role, "roll")
        if not 0 < len(name.strip()) <= Staff.name.type.length:
            raise CaseError(f"Namnet ska ha 1–{Staff.name.type.length} tecken.")
        if municipality_code is None:
            async with self._sessionmaker() as session:
                municipality = await session.get(Municipality, actor.municipality_id)
            if municipality is None:
                raise NotFound("Ange vilken kommun personen ska höra till.")
        else:
            municipality = await self.municipality_by_code(municipality_code)
        if actor.role == "admin" and municipality.id != actor.municipality_id:
            raise NotAllowed("Du kan bara lägga till personal i din egen kommun.")
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

    async def municipality_staff(self, actor: Actor) -> list[Staff]:
        """The active staff of the actor's municipality, oldest first."""
        async with self._sessionmaker() as session:
            found = await session.scalars(
                select(Staff)
                .where(Staff.municipality_id == actor.municipality_id, Staff.active)
                .order_by(Staff.id)
            )
            return list(found)

    async def register_youth(
        self, actor: Actor, data: RegistrationInput, *, new_period: bool = False
    ) -> Registration:
        """Register a youth; an already registered personnummer returns its case instead."""
        self._require_writer(actor)
        pnr = parse_personnummer(data.personnummer, data.registered_on)
        _require_code(codes.REGISTRATION_REASONS, data.registration_reason, "orsak")
        _require_code(codes.SOURCES, data.source, "källa")
        if not data.first_name.strip() or not data.last_name.strip():
            raise CaseError("Både förnamn och efternamn behövs.")
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
                .options(selectinload(Youth.cases))
            )
            if youth is not None:
                active = [case for case in youth.cases if case.status == "active"]
                if active:
                    record(session, actor, "case.found", case_id=active[0].id, youth_id=youth.id)
                    return Registration(case_id=active[0].id, created=False)
                if not new_period:
                    latest = youth.cases[-1].id
                    record(session, actor, "case.found", case_id=latest, youth_id=youth.id)
                    return Registration(case_id=latest, created=False, closed_case_id=latest)
            else:
                youth = Youth(
                    municipality_id=actor.municipality_id,
                    personnummer=pnr.digits,
                    is_samordningsnummer=pnr.is_samordningsnummer,
                    birth_date=pnr.birth_date,
                    gender=pnr.gender,
                    first_name=data.first_name.strip(),
                    last_name=data.last_name.strip(),
                    address=data.address,
                    postal_code=data.postal_code,
                    city=data.city,
                    phone=data.phone,
                    email=data.email,
                    protected_identity=data.protected_identity,
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
                school=(data.school or "").strip() or None,
                assigned_staff_id=data.assigned_staff_id or actor.staff_id,
            )
            session.add(case)
            await session.flush()
            record(session, actor, "case.register", case_id=case.id, youth_id=youth.id)
            self.changed = True
            return Registration(case_id=case.id, created=True)

    async def log_contact(
        self, actor: Actor, case_id: int, data: ContactInput, *, occupation: str | None = None
    ) -> int:
        """Log a contact; `occupation` is what the youth does now, learned in the contact."""
        _require_code(codes.CONTACT_CHANNELS, data.channel, "kanal")
        _require_code(codes.COUNTERPARTS, data.counterpart, "motpart")
        _require_code(codes.CONTACT_OUTCOMES, data.outcome, "utfall")
        if occupation is not None:
            _require_code(codes.OCCUPATIONS, occupation, "sysselsättning")
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            event = ContactEvent(case_id=case.id, staff_id=actor.staff_id, **asdict(data))
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

    async def log_letter_attempts(
        self, actor: Actor, case_id: int, written_on: date, attempts: Sequence[LetterAttempt]
    ) -> int:
        """Record each letter as a contact attempt by letter on ``written_on``, exactly once
        per key (also when two instances write the same letters); returns how many were new."""
        for attempt in attempts:
            _require_code(codes.COUNTERPARTS, attempt.counterpart, "motpart")
        keys = [attempt.key for attempt in attempts]
        if not keys or not (set(keys) - await self._recorded_letters(case_id, keys)):
            return 0
        async with self._transaction() as session:
            # The case row is locked from here on, so the check below sees every letter
            # a concurrent writer recorded before us.
            case = await self._writable_case(session, actor, case_id, None)
            known = await self._recorded_letters(case.id, keys, session)
            new = [attempt for attempt in attempts if attempt.key not in known]
            for attempt in new:
                event = ContactEvent(
                    case_id=case.id,
                    occurred_on=written_on,
                    channel="brev",
                    counterpart=attempt.counterpart,
                    outcome=LETTER_OUTCOME,
                    note=attempt.note,
                    staff_id=actor.staff_id,
                    letter_key=attempt.key,
                )
                session.add(event)
                await session.flush()
                record(session, actor, "contact.log", case_id=case.id, detail=f"kontakt {event.id}")
            return len(new)

    async def _recorded_letters(
        self, case_id: int, keys: Sequence[str], session: AsyncSession | None = None
    ) -> set[str]:
        statement = select(ContactEvent.letter_key).where(
            ContactEvent.case_id == case_id, ContactEvent.letter_key.in_(keys)
        )
        if session is not None:
            return {key for key in await session.scalars(statement) if key}
        async with self._sessionmaker() as reader:
            return {key for key in await reader.scalars(statement) if key}

    async def record_occupation(
        self,
        actor: Actor,
        case_id: int,
        kind: str,
        valid_from: date,
        extent_percent: int = 100,
        note: str | None = None,
    ) -> int:
        _require_code(codes.OCCUPATIONS, kind, "sysselsättning")
        if not 1 <= extent_percent <= 100:
            raise CaseError("Omfattningen anges i procent, 1–100.")
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            occupation = Occupation(
                case_id=case.id,
                kind=kind,
                valid_from=valid_from,
                extent_percent=extent_percent,
                note=note,
                staff_id=actor.staff_id,
            )
            session.add(occupation)
            await session.flush()
            record(session, actor, "occupation.record", case_id=case.id, detail=kind)
            return occupation.id

    async def revise_plan(self, actor: Actor, case_id: int, data: PlanInput) -> int:
        if not data.goals.strip():
            raise CaseError("Planen behöver ungdomens mål.")
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
                    case_id=case.id, revision=revision, staff_id=actor.staff_id, **asdict(data)
                )
            )
            record(session, actor, "plan.revise", case_id=case.id, detail=f"version {revision}")
            return revision

    async def record_consent(self, actor: Actor, case_id: int, given_on: date, actors: str) -> int:
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            consent = Consent(
                case_id=case.id, given_on=given_on, actors=actors, staff_id=actor.staff_id
            )
            session.add(consent)
            await session.flush()
            record(session, actor, "consent.record", case_id=case.id)
            return consent.id

    async def withdraw_consent(self, actor: Actor, case_id: int, withdrawn_on: date) -> int:
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
                if withdrawn_on < consent.given_on:
                    raise CaseError("Ett samtycke kan inte återkallas före den dag det gavs.")
                consent.withdrawn_on = withdrawn_on
            record(
                session, actor, "consent.withdraw", case_id=case.id, detail=f"{len(consents)} st"
            )
            return len(consents)

    async def add_measure(self, actor: Actor, case_id: int, data: MeasureInput) -> int:
        """Document a measure; one the youth declined is ended on the day it was offered."""
        if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
            raise CaseError("Slutdatumet kan inte ligga före startdatumet.")
        if data.declined and data.starts_on is None:
            raise CaseError("Skriv datumet då insatsen erbjöds.")
        async with self._transaction() as session:
            municipality = await session.get(Municipality, actor.municipality_id)
            types = codes.measure_types(municipality.settings if municipality else None)
            _require_code(types, data.measure_type, "insatstyp")
            case = await self._writable_case(session, actor, case_id, None)
            measure = Measure(case_id=case.id, **asdict(data))
            if data.declined:
                measure.ended_on = data.starts_on
                measure.end_reason = DECLINED_END_REASON
            session.add(measure)
            await session.flush()
            self._add_revision(session, actor, measure)
            record(session, actor, "measure.add", case_id=case.id, detail=f"insats {measure.id}")
            return measure.id

    @staticmethod
    def _add_revision(session: AsyncSession, actor: Actor, measure: Measure) -> None:
        session.add(
            MeasureRevision(
                measure_id=measure.id,
                revision=measure.revision,
                snapshot=_measure_snapshot(measure),
                staff_id=actor.staff_id,
            )
        )

    async def _writable_measure(
        self, session: AsyncSession, actor: Actor, measure_id: int
    ) -> Measure:
        measure = await session.get(Measure, measure_id)
        if measure is None:
            raise NotFound(f"Hittar ingen insats med nummer {measure_id}.")
        await self._writable_case(session, actor, measure.case_id, None)
        return measure

    async def end_measure(self, actor: Actor, measure_id: int, ended_on: date, reason: str) -> None:
        if not reason.strip():
            raise CaseError("En avslutad insats behöver en avslutsorsak.")
        async with self._transaction() as session:
            measure = await self._writable_measure(session, actor, measure_id)
            self._end(measure, ended_on, reason)
            self._add_revision(session, actor, measure)
            record(
                session,
                actor,
                "measure.end",
                case_id=measure.case_id,
                detail=f"insats {measure.id}",
            )

    @staticmethod
    def _end(measure: Measure, ended_on: date, reason: str) -> None:
        if measure.ended_on is not None:
            raise CaseError("Insatsen är redan avslutad.")
        if measure.starts_on and ended_on < measure.starts_on:
            raise CaseError("Insatsen kan inte avslutas före sitt startdatum.")
        measure.ended_on = ended_on
        measure.end_reason = reason.strip()
        measure.revision += 1

    async def evaluate_measure(
        self, actor: Actor, measure_id: int, evaluated_on: date, outcome: str, effect: str
    ) -> None:
        if not outcome.strip() or not effect.strip():
            raise CaseError("Utvärderingen behöver både resultat och effekt.")
        async with self._transaction() as session:
            measure = await self._writable_measure(session, actor, measure_id)
            measure.evaluated_on = evaluated_on
            measure.evaluation_outcome = outcome.strip()
            measure.evaluation_effect = effect.strip()
            measure.revision += 1
            self._add_revision(session, actor, measure)
            record(
                session,
                actor,
                "measure.evaluate",
                case_id=measure.case_id,
                detail=f"insats {measure.id}",
            )

    async def plan_home_visit(self, actor: Actor, case_id: int, data: HomeVisitInput) -> int:
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            visit = HomeVisit(case_id=case.id, **asdict(data))
            session.add(visit)
            await session.flush()
            record(
                session, actor, "home_visit.plan", case_id=case.id, detail=f"hembesök {visit.id}"
            )
            return visit.id

    async def record_home_visit_notice(self, actor: Actor, visit_id: int, sent_on: date) -> bool:
        """The notice of a planned visit is sent (a letter was written); False if it already was."""
        async with self._transaction() as session:
            visit = await session.get(HomeVisit, visit_id)
            if visit is None:
                raise NotFound(f"Hittar inget hembesök med nummer {visit_id}.")
            await self._case(session, actor, visit.case_id)
            if visit.notice_sent_on is not None:
                return False
            await self._writable_case(session, actor, visit.case_id, None)
            # Read again under the case's lock: another instance may have just set it.
            await session.refresh(visit)
            if visit.notice_sent_on is not None:
                return False
            visit.notice_sent_on = sent_on
            record(
                session,
                actor,
                "home_visit.notice",
                case_id=visit.case_id,
                detail=f"hembesök {visit.id}",
            )
            return True

    async def record_home_visit(
        self, actor: Actor, visit_id: int, visited_on: date, outcome: str, note: str | None = None
    ) -> None:
        _require_code(codes.HOME_VISIT_OUTCOMES, outcome, "utfall")
        async with self._transaction() as session:
            visit = await session.get(HomeVisit, visit_id)
            if visit is None:
                raise NotFound(f"Hittar inget hembesök med nummer {visit_id}.")
            await self._writable_case(session, actor, visit.case_id, None)
            visit.visited_on = visited_on
            visit.outcome = outcome
            visit.note = note
            record(
                session,
                actor,
                "home_visit.record",
                case_id=visit.case_id,
                detail=f"hembesök {visit.id}",
            )

    async def log_home_visit(
        self,
        actor: Actor,
        case_id: int,
        data: HomeVisitInput,
        outcome: str,
        note: str | None = None,
    ) -> int:
        """A home visit that was made without being planned here: planned and done that day."""
        _require_code(codes.HOME_VISIT_OUTCOMES, outcome, "utfall")
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, None)
            visit = HomeVisit(
                case_id=case.id,
                **asdict(data),
                visited_on=data.planned_on,
                outcome=outcome,
                note=note,
            )
            session.add(visit)
            await session.flush()
            record(
                session, actor, "home_visit.record", case_id=case.id, detail=f"hembesök {visit.id}"
            )
            return visit.id

    async def assign(
        self, actor: Actor, case_id: int, staff_id: int, expected_version: int
    ) -> None:
        async with self._transaction() as session:
            staff = await session.get(Staff, staff_id)
            if staff is None or staff.municipality_id != actor.municipality_id:
                raise NotFound("Hittar ingen sådan handläggare i din kommun.")
            case = await self._writable_case(session, actor, case_id, expected_version)
            case.assigned_staff_id = staff_id
            record(session, actor, "case.assign", case_id=case.id, detail=f"personal {staff_id}")

    async def close_case(
        self, actor: Actor, case_id: int, closing: Closing, expected_version: int
    ) -> int | None:
        """Deregister; always with a reason, and never leaving a measure open.

        Returns the new case's id when a moved youth's case was transferred."""
        _require_code(codes.DEREGISTRATION_REASONS, closing.reason, "avregistreringsorsak")
        if closing.reason == "annan" and not (closing.note or "").strip():
            raise CaseError("Vid orsaken ”annan” behöver du skriva vad orsaken är.")
        async with self._transaction() as session:
            case = await self._writable_case(session, actor, case_id, expected_version)
            if closing.deregistered_on < case.registered_on:
                raise CaseError("Avslutsdatumet kan inte ligga före registreringsdatumet.")
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
                self._end(measure, end.ended_on, end.reason)
                self._add_revision(session, actor, measure)
            if still_open:
                raise CaseError(
                    "Avsluta först de pågående insatserna, med datum och orsak: "
                    + ", ".join(still_open)
                    + "."
                )
            case.status = "closed"
            case.deregistered_on = closing.deregistered_on
            case.deregistration_reason = closing.reason
            case.deregistration_note = closing.note
            record(session, actor, "case.close", case_id=case.id, detail=closing.reason)
            if closing.moving is None:
                return None
            try:
                return await record_move(session, actor, case, closing.reason, closing.moving)
            except MovingError as error:
                raise CaseError(str(error)) from error

    async def get_case(self, actor: Actor, case_id: int) -> KaaCase:
        """Everything about one case, for showing it; the read is audited."""
        async with self._transaction() as session:
            case = await session.scalar(
                select(KaaCase)
                .where(KaaCase.id == case_id, KaaCase.municipality_id == actor.municipality_id)
                .options(
                    selectinload(KaaCase.youth).selectinload(Youth.guardians),
                    selectinload(KaaCase.assigned_staff),
                    selectinload(KaaCase.contacts),
                    selectinload(KaaCase.occupations),
                    selectinload(KaaCase.plan_revisions),
                    selectinload(KaaCase.consents),
                    selectinload(KaaCase.measures).selectinload(Measure.revisions),
                    selectinload(KaaCase.home_visits),
                )
            )
            if case is None:
                raise NotFound(f"Hittar inget ärende med nummer {case_id}.")
            record(session, actor, "case.read", case_id=case.id, youth_id=case.youth_id)
            return case
