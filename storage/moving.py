"""Moving away: the rules for closing a case as moved, the handover and the transfer.

A youth who moves is deregistered with the reason "flyttat"; the new municipality (one of
Sweden's 290, `storage.kommuner`) and the day are recorded when known (not for a move
abroad). What the new municipality may get is decided here, not in the chat:

- the handover (*överlämning*) with personal data only with the youth's consent to hand
  the case over to that municipality, recorded and not withdrawn; otherwise a notice
  without personal details;
- a transfer to a municipality on this installation (a new case there, the old one closed
  as moved) only with that consent too: it hands the youth's data to another authority.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage.audit import Actor, record
from storage.codes import CaseStatus
from storage.kommuner import Kommun, all_kommuner
from storage.models import Consent, Guardian, KaaCase, Municipality, Youth

MOVED = "flyttat"
MOVED_IN = "inflyttad"


class MovingError(ValueError):
    """A Swedish reason the move cannot be recorded as asked."""


@dataclass(frozen=True)
class Moving:
    """Where and when the youth moved; ``consent_on``: the youth consents to the handover
    (recorded with the closing); ``transfer``: open a case in the new municipality."""

    to_code: str
    moved_on: date
    consent_on: date | None = None
    transfer: bool = False


def destination(code: str, own_code: str) -> Kommun:
    kommun = all_kommuner().get(code)
    if kommun is None:
        raise MovingError(f"{code} är ingen kommunkod. Skriv kommunens namn eller fyra siffror.")
    if code == own_code:
        raise MovingError("Ungdomen kan inte flytta till sin egen kommun.")
    return kommun


def consent_text(kommun: Kommun) -> str:
    return f"Överlämning till {kommun.name} ({kommun.code}) vid flytt"


class HandoverConsent(Protocol):
    handover_to: str | None
    withdrawn_on: date | None


_Consent = TypeVar("_Consent", bound=HandoverConsent)


def handover_consent(consents: Iterable[_Consent], to_code: str | None) -> _Consent | None:
    """The consent in force to hand the case over to ``to_code``, if one is recorded."""
    if to_code is None:
        return None
    for consent in consents:
        if consent.handover_to == to_code and consent.withdrawn_on is None:
            return consent
    return None


async def record_move(
    session: AsyncSession, actor: Actor, case: KaaCase, reason: str, moving: Moving
) -> int | None:
    """Record where a case closed in the caller's transaction moved, the handover consent
    and (with ``moving.transfer``) the transfer; returns the new case's id if transferred."""
    if reason != MOVED:
        raise MovingError("Ny kommun anges bara när orsaken är att ungdomen har flyttat.")
    own = await session.get(Municipality, case.municipality_id)
    assert own is not None
    kommun = destination(moving.to_code, own.code)
    if moving.moved_on < case.registered_on:
        raise MovingError("Flyttdatumet kan inte ligga före registreringsdatumet.")
    case.moved_to, case.moved_on = kommun.code, moving.moved_on
    if moving.consent_on is not None:
        session.add(
            Consent(
                case_id=case.id,
                given_on=moving.consent_on,
                actors=consent_text(kommun),
                handover_to=kommun.code,
                staff_id=actor.staff_id,
            )
        )
        record(session, actor, "consent.record", case_id=case.id)
    if not moving.transfer:
        return None
    target = await session.scalar(select(Municipality).where(Municipality.code == kommun.code))
    if target is None:
        raise MovingError(
            f"{kommun.name} använder inte KAA-assistenten här. Skicka överlämningen i stället."
        )
    await session.flush()
    consents = await session.scalars(select(Consent).where(Consent.case_id == case.id))
    if handover_consent(consents, kommun.code) is None:
        raise MovingError(
            f"Ärendet kan flyttas över till {kommun.name} först när ungdomen har samtyckt "
            "till överlämningen."
        )
    new_case_id = await transfer(session, actor, case, moving, target)
    record(
        session,
        actor,
        "case.transfer_out",
        case_id=case.id,
        detail=f"till kommunkod {kommun.code}, ärende {new_case_id}",
    )
    return new_case_id


async def transfer(
    session: AsyncSession, actor: Actor, case: KaaCase, moving: Moving, target: Municipality
) -> int:
    """Open the youth's case in ``target`` (in the caller's transaction); returns its id.

    The youth's identity, contact details and guardians go along; the case history stays
    with the old municipality and travels in the handover document. Audited on both
    sides: the old municipality's entry by the caller, the new one's here, in its name.
    """
    youth = await session.scalar(
        select(Youth).where(Youth.id == case.youth_id).options(selectinload(Youth.guardians))
    )
    assert youth is not None
    there = Actor(actor.label, target.id, actor.role, actor.staff_id)
    found = await session.scalar(
        select(Youth)
        .where(Youth.municipality_id == target.id, Youth.personnummer == youth.personnummer)
        .options(selectinload(Youth.cases))
    )
    if found is None:
        found = Youth(
            municipality_id=target.id,
            personnummer=youth.personnummer,
            is_samordningsnummer=youth.is_samordningsnummer,
            birth_date=youth.birth_date,
            gender=youth.gender,
            first_name=youth.first_name,
            last_name=youth.last_name,
            phone=youth.phone,
            email=youth.email,
            protected_identity=youth.protected_identity,
            guardians=[
                Guardian(name=g.name, phone=g.phone, email=g.email) for g in youth.guardians
            ],
        )
        session.add(found)
        await session.flush()
        record(session, there, "youth.create", youth_id=found.id)
    else:
        active = [other for other in found.cases if other.status == CaseStatus.ACTIVE]
        if active:
            record(session, there, "case.found", case_id=active[0].id, youth_id=found.id)
            return active[0].id
    new_case = KaaCase(
        municipality_id=target.id,
        youth_id=found.id,
        registered_on=moving.moved_on,
        registration_reason=MOVED_IN,
        source=MOVED_IN,
    )
    session.add(new_case)
    await session.flush()
    record(
        session,
        there,
        "case.transfer_in",
        case_id=new_case.id,
        youth_id=found.id,
        detail=f"från ärende {case.id}",
    )
    return new_case.id
