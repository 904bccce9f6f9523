"""Skyddad identitet: the one place that decides whether a youth's address may be shown.

Everything that shows or exports an address (chat, cards, registerutdrag, reports, exports)
goes through `visible_address`, and every letter through `letter_address`, so a youth with
protected identity never has it revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

PROTECTED_ADDRESS = "Skyddade personuppgifter – adressen visas inte"


class HasAddress(Protocol):
    address: str | None
    postal_code: str | None
    city: str | None
    protected_identity: bool


def visible_address(youth: HasAddress) -> str | None:
    """The address as one line, or None when it is protected or unknown."""
    if youth.protected_identity:
        return None
    postal = " ".join(part for part in (youth.postal_code, youth.city) if part)
    line = ", ".join(part for part in (youth.address, postal) if part)
    return line or None


def address_text(youth: HasAddress) -> str:
    """What to print where an address goes: the address, a protected notice, or a dash."""
    if youth.protected_identity:
        return PROTECTED_ADDRESS
    return visible_address(youth) or "–"


class HasPostalAddress(Protocol):
    address: str | None
    postal_code: str | None
    city: str | None


@dataclass(frozen=True)
class LetterAddress:
    """Where a letter goes: the printed address lines, or Skatteverket's forwarding.

    ``via_skatteverket``: the municipality sends the letter in an envelope with the
    recipient's name and personnummer to Skatteverket, which forwards it; no address is
    printed. ``lines`` is empty then.
    """

    lines: tuple[str, ...]
    via_skatteverket: bool = False


FORWARDED = LetterAddress(lines=(), via_skatteverket=True)


def _postal_line(holder: HasPostalAddress) -> str:
    code = (holder.postal_code or "").replace(" ", "")
    shown = f"{code[:3]} {code[3:]}" if len(code) == 5 and code.isdigit() else code
    return " ".join(part for part in (shown, holder.city or "") if part)


def letter_address(
    youth: HasAddress, guardian: HasPostalAddress | None = None
) -> LetterAddress | None:
    """The address for a letter to the youth, or to one of their guardians.

    A protected youth's letters go through Skatteverket, and so do their guardians':
    a guardian's address would show where the youth lives. None when the address is
    unknown or too incomplete to deliver to (a street and a postal code or town are needed).
    """
    if youth.protected_identity:
        return FORWARDED
    holder: HasPostalAddress = guardian if guardian is not None else youth
    street = (holder.address or "").strip()
    postal = _postal_line(holder)
    if not street or not postal:
        return None
    return LetterAddress(lines=(street, postal))
