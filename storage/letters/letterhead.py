"""What every letter and document says about its sender, and how it writes its date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage.calendar_names import MONTH_NAMES
from storage.letters.library import DEFAULT_LANGUAGE
from storage.letters.settings import MunicipalityContact, contact_from_settings, sender_name
from storage.letters.template import Value
from storage.models import Municipality


def letter_date(day: date, language: str) -> str:
    """ "15 mars 2026" in a Swedish letter; 2026-03-15 in any other language."""
    if language != DEFAULT_LANGUAGE:
        return day.isoformat()
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Letterhead:
    sender: str
    contact: MunicipalityContact

    @property
    def lines(self) -> tuple[str, ...]:
        """The sender block at the top of each page."""
        address = (self.contact.address,) if self.contact.address else ()
        return (self.sender, "Kommunala aktivitetsansvaret", *address)

    def values(self, today: date, language: str = DEFAULT_LANGUAGE) -> dict[str, Value]:
        """The placeholders every template fills in from the sender."""
        return {
            "kommun": self.sender,
            "kontaktperson": self.contact.name,
            "telefon": self.contact.phone,
            "epost": self.contact.email or "",
            "datum": letter_date(today, language),
        }


def letterhead(municipality: Municipality) -> Letterhead:
    """The municipality as its letters name it; CaseError when its contact is not set."""
    contact = contact_from_settings(municipality.code, municipality.settings)
    return Letterhead(sender_name(municipality.name, contact), contact)
