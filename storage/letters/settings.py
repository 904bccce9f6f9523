"""What a municipality's letters say about it: contact person, phone, sender, own templates.

Kept in ``Municipality.settings``: ``"contact"`` (name, phone, optional e-mail, postal
address and sender name) and ``"letter_templates"`` (the folder of the municipality's own
templates). Set by the system (CLI) or the municipality's admin, validated, audited.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from storage.audit import Actor
from storage.cases import CaseError
from storage.contact_details import is_email, is_phone
from storage.letters.library import TemplateLibrary
from storage.letters.template import TemplateError
from storage.models import Municipality
from storage.municipality_settings import change_setting
from storage.sessions import SessionSource

CONTACT_SETTING = "contact"
TEMPLATES_SETTING = "letter_templates"
_MISSING_CONTACT = (
    "Kommunens kontaktuppgifter för breven saknas. En administratör ställer in dem med "
    "kaa-bot municipality contact --municipality {code} --name … --phone …"
)


@dataclass(frozen=True)
class MunicipalityContact:
    """Who a youth calls: printed in every letter."""

    name: str
    phone: str
    email: str | None = None
    address: str | None = None
    sender: str | None = None


def parse_contact(
    name: str,
    phone: str,
    email: str | None = None,
    address: str | None = None,
    sender: str | None = None,
) -> MunicipalityContact:
    """The contact details checked, or CaseError naming every problem."""
    name, phone = name.strip(), phone.strip()
    email, address, sender = ((value or "").strip() or None for value in (email, address, sender))
    problems = []
    if not name or len(name) > 100 or any(char.isdigit() for char in name):
        problems.append("Kontaktpersonens namn skrivs med bokstäver, högst 100 tecken.")
    if not is_phone(phone) or len(phone) > 40:
        problems.append("Telefonnumret skrivs med siffror, till exempel 013-20 60 00.")
    if email is not None and (not is_email(email) or len(email) > 200):
        problems.append("E-postadressen ska se ut som namn@kommun.se.")
    if address is not None and len(address) > 200:
        problems.append("Adressen får vara högst 200 tecken.")
    if sender is not None and len(sender) > 100:
        problems.append("Avsändaren får vara högst 100 tecken.")
    if problems:
        raise CaseError(" ".join(problems))
    return MunicipalityContact(name, phone, email, address, sender)


def contact_from_settings(code: str, settings: dict[str, Any] | None) -> MunicipalityContact:
    """The municipality's contact details; CaseError telling how to set them if missing."""
    raw = (settings or {}).get(CONTACT_SETTING)
    if not isinstance(raw, dict):
        raise CaseError(_MISSING_CONTACT.format(code=code))
    try:
        return parse_contact(
            str(raw.get("name", "")),
            str(raw.get("phone", "")),
            raw.get("email"),
            raw.get("address"),
            raw.get("sender"),
        )
    except CaseError as error:
        raise CaseError(f"{error} {_MISSING_CONTACT.format(code=code)}") from error


def letter_name(municipality_name: str) -> str:
    """Linköping as "Linköpings kommun", Vännäs as "Vännäs kommun"."""
    name = municipality_name.strip()
    if name.lower().endswith(("kommun", "stad", "region")):
        return name
    genitive = name if name.endswith(("s", "x", "z")) else f"{name}s"
    return f"{genitive} kommun"


def sender_name(municipality_name: str, contact: MunicipalityContact) -> str:
    """The municipality's own sender name if it set one, else its name as in a letter."""
    return contact.sender or letter_name(municipality_name)


def template_library(settings: dict[str, Any] | None) -> TemplateLibrary:
    folder = (settings or {}).get(TEMPLATES_SETTING)
    return TemplateLibrary(Path(folder) if isinstance(folder, str) and folder else None)


def _checked_folder(folder: Path) -> tuple[Path, int]:
    folder = folder.resolve()
    try:
        return folder, TemplateLibrary(folder).check_all()
    except TemplateError as error:
        raise CaseError(str(error)) from error


class LetterSettings:
    def __init__(self, sessionmaker: SessionSource) -> None:
        self._sessionmaker = sessionmaker

    async def set_contact(
        self, actor: Actor, code: str, contact: MunicipalityContact
    ) -> Municipality:
        return await self._update(
            actor, code, CONTACT_SETTING, asdict(contact), "municipality.contact"
        )

    async def set_template_folder(
        self, actor: Actor, code: str, folder: Path | None
    ) -> tuple[Municipality, int]:
        """Point the municipality at its own templates (None: the shipped ones); every
        template in the folder is checked first. Returns how many it holds."""
        count = 0
        if folder is not None:
            folder, count = await asyncio.to_thread(_checked_folder, folder)
        value = str(folder) if folder is not None else None
        municipality = await self._update(
            actor, code, TEMPLATES_SETTING, value, "municipality.letter_templates"
        )
        return municipality, count

    async def _update(
        self, actor: Actor, code: str, key: str, value: object, action: str
    ) -> Municipality:
        return await change_setting(
            self._sessionmaker,
            actor,
            code,
            key,
            lambda _stored: value,
            action=action,
            refused="Bara kommunens administratör kan ändra kommunens inställningar.",
        )
