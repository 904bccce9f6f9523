"""The document for the new municipality when a youth has moved: an överlämning with what
it needs, only with the youth's consent to the handover; otherwise a notice without
personal details (the rule is `storage.moving.handover_consent`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage import codes
from storage.audit import Actor
from storage.case_queries import CaseQueries
from storage.case_views import CaseView
from storage.cases import CaseError, CaseService
from storage.kommuner import all_kommuner
from storage.letters.kinds import HANDOVER, MOVING_NOTICE
from storage.letters.letterhead import letterhead
from storage.letters.pdf import Letter, render
from storage.letters.settings import letter_name, template_library
from storage.letters.template import TemplateError, Value, fill
from storage.models import Municipality
from storage.moving import MOVED, handover_consent
from storage.personnummer import format_personnummer


@dataclass(frozen=True)
class MovingDocument:
    pdf: bytes
    file_name: str
    with_personal_data: bool


def _contact_status(case: CaseView) -> str:
    reached = [
        contact.occurred_on
        for contact in case.contacts
        if contact.outcome in codes.ESTABLISHING_OUTCOMES
        and contact.counterpart in codes.ESTABLISHING_COUNTERPARTS
    ]
    if reached:
        return f"etablerad, senast {max(reached).isoformat()}"
    return f"ingen etablerad kontakt ({len(case.contacts)} kontaktförsök)"


def _handover_values(case: CaseView, types: dict[str, str]) -> dict[str, Value]:
    plan = case.plans[-1] if case.plans else None
    occupation = case.occupations[-1].kind if case.occupations else "okand"
    return {
        "namn": case.name,
        "personnummer": format_personnummer(case.personnummer),
        "adress": case.address_text,
        "registrerad": case.registered_on.isoformat(),
        "registreringsorsak": codes.label(codes.REGISTRATION_REASONS, case.registration_reason),
        "sysselsättning": codes.label(codes.OCCUPATIONS, occupation),
        "kontakt": _contact_status(case),
        "vårdnadshavare": tuple(f"{g.name}, telefon {g.phone or '–'}" for g in case.guardians),
        "kontakter": tuple(
            f"{c.occurred_on.isoformat()}: {codes.label(codes.CONTACT_CHANNELS, c.channel)}, "
            f"{codes.label(codes.COUNTERPARTS, c.counterpart)} – "
            f"{codes.label(codes.CONTACT_OUTCOMES, c.outcome)}"
            for c in case.contacts
        ),
        "plan": (
            tuple(
                f"{label}: {text}"
                for label, text in (
                    ("Mål", plan.goals),
                    ("Behov", plan.needs),
                    ("Förväntningar", plan.expectations),
                )
                if text
            )
            if plan
            else ()
        ),
        "insatser": tuple(
            f"{codes.label(types, m.measure_type)}: "
            f"{m.starts_on.isoformat() if m.starts_on else '–'} till "
            f"{(m.ended_on or m.ends_on).isoformat() if (m.ended_on or m.ends_on) else '–'}"
            + (f", avslutad: {m.end_reason}" if m.end_reason else "")
            for m in case.measures
        ),
        "samtycke": tuple(
            f"Givet {c.given_on.isoformat()}: {c.actors}"
            for c in case.consents
            if c.withdrawn_on is None
        ),
    }


async def moving_document(
    cases: CaseService, actor: Actor, case_id: int, today: date
) -> MovingDocument:
    """The överlämning (with consent) or the notice for a case closed as moved."""
    case = await CaseQueries(cases.sessionmaker).view(actor, case_id)
    if case.deregistration_reason != MOVED or case.moved_to is None:
        raise CaseError(
            f"Ärende {case.case_id} är inte avslutat som flyttat till en annan kommun i Sverige."
        )
    async with cases.sessionmaker() as session:
        municipality = await session.get(Municipality, case.municipality.id)
    assert municipality is not None
    head = letterhead(municipality)
    new = all_kommuner()[case.moved_to]
    consent = handover_consent(case.consents, case.moved_to)
    kind = HANDOVER if consent is not None else MOVING_NOTICE
    values = head.values(today) | {
        "ny_kommun": letter_name(new.name),
        "flyttdatum": case.moved_on.isoformat() if case.moved_on else "",
    }
    if consent is not None:
        types = codes.measure_types(municipality.settings)
        values |= _handover_values(case, types)
        values["handläggare"] = case.assigned_staff_name or head.contact.name
    try:
        template = template_library(municipality.settings).template(kind)
    except TemplateError as error:
        raise CaseError(str(error)) from error
    letter = Letter(head.lines, str(values["datum"]), fill(template, values))
    name = f"{kind.code}_{case.moved_to}_{today.isoformat()}.pdf"
    return MovingDocument(render([letter], kind.title), name, consent is not None)
