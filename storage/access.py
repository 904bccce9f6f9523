"""Who may do what: the role rules of the case store, each in one place, refused with a
Swedish message (NotAllowed) wherever the request comes from — chat, command line or job."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement

from storage.audit import Actor
from storage.case_errors import NotAllowed, NotFound
from storage.codes import Role
from storage.models import KaaCase

# Managers read cases but do not change them.
CASE_WRITERS = frozenset({Role.COORDINATOR, Role.ADMIN, Role.SYSTEM})
# The SCB file of the whole municipality (the key figures, granskning and the SCB check of
# one's own cases are for everyone).
SCB_FILE_MAKERS = frozenset({Role.MANAGER, Role.ADMIN, Role.SYSTEM})
# Staff, the audit log, retention: the system, or an admin for their own municipality.
ADMINISTRATORS = frozenset({Role.ADMIN, Role.SYSTEM})
# Who may hold cases (take one, be given one); a manager follows up, never holds.
CASE_HOLDERS = frozenset({Role.COORDINATOR, Role.ADMIN})
# Who may give any case of the municipality to a colleague (a manager's one write).
CASE_ASSIGNERS = frozenset({Role.MANAGER, Role.ADMIN, Role.SYSTEM})


def municipality_of(actor: Actor) -> int:
    """The municipality whose cases the actor works with; NotFound for an actor of none (the
    system acting for no municipality in particular)."""
    if actor.municipality_id is None:
        raise NotFound("Ange vilken kommun det gäller.")
    return actor.municipality_id


def case_in_scope(actor: Actor) -> ColumnElement[bool]:
    """The scope of every read of cases: the actor's own municipality's (another's case is
    "not found", never shown)."""
    return KaaCase.municipality_id == actor.municipality_id


def allowed(actor: Actor, roles: Collection[Role]) -> bool:
    return actor.role in roles


def require(actor: Actor, roles: Collection[Role], refusal: str) -> None:
    """NotAllowed with ``refusal`` unless the actor has one of the roles."""
    if not allowed(actor, roles):
        raise NotAllowed(refusal)


def require_administrator(
    actor: Actor, municipality_id: int | None, refusal: str, elsewhere: str
) -> None:
    """The system, or an admin of this municipality (``elsewhere`` when of another one)."""
    require(actor, ADMINISTRATORS, refusal)
    if actor.role != Role.SYSTEM and actor.municipality_id != municipality_id:
        raise NotAllowed(elsewhere)


def own_cases_of(actor: Actor) -> int | None:
    """Whose cases a list about one's work shows: a coordinator's own (their staff id), or
    the whole municipality's (None) for managers and admins."""
    return actor.staff_id if actor.role == Role.COORDINATOR else None
