"""Who gets a letter, and where it goes: a pure rule over the youth and their guardians.

The youth always gets the letter. While the youth is under 18, so does each guardian, for
the kinds of letter that go to guardians. The address comes from `storage.privacy`: none
printed for a protected youth (Skatteverket forwards), and a recipient whose address is
unknown gets no letter but is listed, so nobody gets a blank letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from storage.eligibility import turns_18_on
from storage.letters.kinds import DocumentKind
from storage.privacy import HasAddress, HasPostalAddress, LetterAddress, letter_address

YOUTH = "ungdomen"
GUARDIAN = "vardnadshavare"


class GuardianLike(HasPostalAddress, Protocol):
    id: int
    name: str


class YouthLike(HasAddress, Protocol):
    first_name: str
    last_name: str
    birth_date: date

    @property
    def guardians(self) -> Sequence[GuardianLike]: ...


@dataclass(frozen=True)
class Recipient:
    """One letter's addressee: ``counterpart`` as a contact is coded (ungdomen /
    vardnadshavare), ``key`` names them without personal data (for the attempt's key)."""

    name: str
    counterpart: str
    key: str
    address: LetterAddress | None

    @property
    def is_guardian(self) -> bool:
        return self.counterpart == GUARDIAN


def recipients(youth: YouthLike, kind: DocumentKind, today: date) -> list[Recipient]:
    """The youth, then (under 18, for letters to guardians) each guardian, in order."""
    found = [
        Recipient(f"{youth.first_name} {youth.last_name}", YOUTH, YOUTH, letter_address(youth))
    ]
    if kind.to_guardians and today < turns_18_on(youth.birth_date):
        found += [
            Recipient(
                guardian.name,
                GUARDIAN,
                f"{GUARDIAN}:{guardian.id}",
                letter_address(youth, guardian),
            )
            for guardian in youth.guardians
        ]
    return found
