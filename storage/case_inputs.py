"""What the case API takes in: plain values, checked by the service before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from storage.moving import Moving


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
    # None: not said (a file without the column), which a new youth takes as no protection.
    protected_identity: bool | None = None
    guardians: tuple[GuardianInput, ...] = ()
    assigned_staff_id: int | None = None
    school: str | None = None


@dataclass(frozen=True)
class Registration:
    case_id: int
    created: bool
    closed_case_id: int | None = None
    # A known youth completed from the input (an import): the fields filled in, and the
    # fields whose given value differs from the stored one, which is kept.
    filled: tuple[str, ...] = ()
    differing: tuple[str, ...] = ()


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
