"""Which cases a batch of letters is for: one case, one personnummer, or every new case.

Scoped to the actor's municipality (another municipality's case or youth is "not found")
and audited: each case read for letters gets a ``letter.write`` entry in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from storage import access
from storage.audit import Actor, record_reads
from storage.cases import CaseError, NotFound
from storage.codes import CaseStatus
from storage.models import ContactEvent, HomeVisit, KaaCase, Youth
from storage.personnummer import PersonnummerError, parse_personnummer


@dataclass(frozen=True)
class Selection:
    """Exactly one of: a case number, a personnummer, or every new case (``all_new``)."""

    case_id: int | None = None
    personnummer: str | None = None
    all_new: bool = False

    def __post_init__(self) -> None:
        chosen = (self.case_id is not None) + (self.personnummer is not None) + self.all_new
        if chosen != 1:
            raise CaseError("Välj ett ärende, ett personnummer eller alla nya – ett av dem.")


def _new_case(today: date) -> object:
    """No contact attempt yet: no contact and no made home visit. Letters written today
    do not count, so the same intake can be printed again, or get a second kind of
    letter, the same day."""
    attempted = exists().where(
        ContactEvent.case_id == KaaCase.id,
        ~and_(ContactEvent.letter_key.is_not(None), ContactEvent.occurred_on == today),
    )
    visited = exists().where(HomeVisit.case_id == KaaCase.id, HomeVisit.visited_on.is_not(None))
    return ~attempted & ~visited


async def select_cases(
    session: AsyncSession, actor: Actor, selection: Selection, today: date, detail: str
) -> list[KaaCase]:
    """The active cases the letters are for, with youth, guardians, coordinator and home
    visits loaded; each one audited as read for letters."""
    statement = (
        select(KaaCase)
        .where(access.case_in_scope(actor))
        .options(
            selectinload(KaaCase.youth).selectinload(Youth.guardians),
            selectinload(KaaCase.assigned_staff),
            selectinload(KaaCase.home_visits),
        )
    )
    if selection.all_new:
        statement = statement.where(KaaCase.status == CaseStatus.ACTIVE, _new_case(today)).order_by(
            KaaCase.registered_on, KaaCase.id
        )
    elif selection.case_id is not None:
        statement = statement.where(KaaCase.id == selection.case_id)
    else:
        try:
            digits = parse_personnummer(selection.personnummer or "", today).digits
        except PersonnummerError as error:
            raise CaseError(str(error)) from error
        statement = statement.join(Youth, KaaCase.youth_id == Youth.id).where(
            Youth.personnummer == digits, KaaCase.status == CaseStatus.ACTIVE
        )
    cases = list(await session.scalars(statement))
    if not selection.all_new:
        if not cases:
            what = (
                f"något ärende med nummer {selection.case_id}"
                if selection.case_id is not None
                else "något aktivt ärende för det personnumret"
            )
            raise NotFound(f"Hittar inte {what} i din kommun.")
        if cases[0].status != CaseStatus.ACTIVE:
            raise CaseError(f"Ärende {cases[0].id} är avslutat. Brev skrivs bara i aktiva ärenden.")
    await record_reads(session, actor, "letter.write", [case.id for case in cases], detail=detail)
    return cases
