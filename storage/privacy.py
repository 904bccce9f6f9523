"""Skyddad identitet: the one place that decides whether a youth's address may be shown.

Everything that shows or exports an address (chat, cards, registerutdrag, reports, exports)
goes through `visible_address`, so a youth with protected identity never has it revealed.
"""

from __future__ import annotations

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
