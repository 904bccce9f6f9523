"""Changing one of a municipality's settings (``Municipality.settings[key]``), audited.

The letters' contact details and templates, the retention time and the reminder routine
are each one key of the same JSON column; who may change them and how it is recorded is
the same for all: the system (the command line) names any municipality by code, an admin
changes their own.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import access
from storage.audit import Actor, record
from storage.case_errors import NotFound
from storage.models import Municipality
from storage.sessions import SessionSource, transaction


async def find_municipality(session: AsyncSession, actor: Actor, code: str | None) -> Municipality:
    """The municipality named by ``code``, or else the one the actor acts in (staff's own,
    or the system's when it acts within one)."""
    if code is not None:
        query = select(Municipality).where(Municipality.code == code)
    elif actor.municipality_id is not None:
        query = select(Municipality).where(Municipality.id == actor.municipality_id)
    else:
        raise NotFound("Ange kommunkoden.")
    municipality = await session.scalar(query)
    if municipality is None:
        raise NotFound(f"Det finns ingen kommun med kod {code}.")
    return municipality


async def change_setting(
    source: SessionSource,
    actor: Actor,
    code: str | None,
    key: str,
    change: Callable[[object], object],
    *,
    action: str,
    detail: str = "",
    refused: str,
) -> Municipality:
    """Set ``key`` to ``change(stored value or None)`` (None removes it), in one transaction
    with its audit entry (``action``; ``detail`` follows the municipality's code). Anyone but
    the system or the municipality's admin is ``refused``; an error raised by ``change``
    (a value that does not validate) changes nothing."""
    async with transaction(source) as session:
        municipality = await find_municipality(session, actor, code)
        access.require_administrator(actor, municipality.id, refused, refused)
        settings = dict(municipality.settings or {})
        value = change(settings.get(key))
        if value is None:
            settings.pop(key, None)
        else:
            settings[key] = value
        municipality.settings = settings
        record(session, actor, action, detail=f"kommunkod {municipality.code}{detail}")
        return municipality
