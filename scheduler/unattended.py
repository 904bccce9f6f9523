"""Nobody's cases are nobody's problem: the active cases no coordinator will hear about.

A case is unattended when it has no coordinator, when its coordinator is no longer active
staff (deactivated), or when the bot cannot reach them: no 1:1 conversation stored, or only
stale ones (the bot was removed or blocked). Their reminders reach nobody, so managers'
digests, the team channel's counts and a manager's "vad har jag idag?" say how many there
are. `count_unattended` is pure; `load_unattended` reads what it needs (counts only).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select

from storage.codes import CaseStatus
from storage.models import ConversationRef, KaaCase, Staff
from storage.sessions import SessionSource


class Unreached(StrEnum):
    UNASSIGNED = "unassigned"
    DEACTIVATED = "deactivated"
    NO_CONVERSATION = "no_conversation"
    STALE = "stale"


@dataclass(frozen=True)
class Unattended:
    """How many active cases of a municipality reach no coordinator, by why."""

    unassigned: int = 0
    deactivated: int = 0
    no_conversation: int = 0
    stale: int = 0

    @property
    def unreachable(self) -> int:
        """Cases that have a coordinator whom the bot cannot reach."""
        return self.deactivated + self.no_conversation + self.stale

    @property
    def total(self) -> int:
        return self.unassigned + self.unreachable


def _youths(count: int) -> str:
    return "1 ungdom" if count == 1 else f"{count} ungdomar"


def unattended_text(counts: Unattended) -> str:
    """Counts only, so fit for a team channel too; empty when every case is attended."""
    parts = []
    if counts.unassigned:
        parts.append(f"{_youths(counts.unassigned)} saknar handläggare")
    if counts.unreachable:
        why = [
            f"{n} {label}"
            for n, label in (
                (counts.deactivated, "avaktiverad"),
                (counts.no_conversation, "har aldrig skrivit till mig"),
                (counts.stale, "har tagit bort mig"),
            )
            if n
        ]
        parts.append(
            f"{_youths(counts.unreachable)} har en handläggare som jag inte når ({', '.join(why)})"
        )
    return " och ".join(parts) + "." if parts else ""


def why_unreached(
    holder: int | None,
    active_staff: Mapping[int, str],
    reachable: Collection[str],
    stale: Collection[str],
) -> Unreached | None:
    """Why a case with this holder reaches nobody, or None when its coordinator is reached.

    `active_staff` maps the active staff's ids to their aadObjectId; `reachable` holds those
    with a usable 1:1 conversation, `stale` those whose only ones are stale."""
    if holder is None:
        return Unreached.UNASSIGNED
    aad = active_staff.get(holder)
    if aad is None:
        return Unreached.DEACTIVATED
    if aad in reachable:
        return None
    return Unreached.STALE if aad in stale else Unreached.NO_CONVERSATION


def count_unattended(
    holders: Iterable[tuple[int | None, int]],
    active_staff: Mapping[int, str],
    reachable: Collection[str],
    stale: Collection[str],
) -> Unattended:
    """The counts, from (holder, number of active cases) pairs."""
    counts = dict.fromkeys(Unreached, 0)
    for holder, cases in holders:
        reason = why_unreached(holder, active_staff, reachable, stale)
        if reason is not None:
            counts[reason] += cases
    return Unattended(**{str(reason): n for reason, n in counts.items()})


async def load_unattended(
    source: SessionSource, municipality_ids: Collection[int]
) -> dict[int, Unattended]:
    """Per municipality (each one given), its unattended active cases."""
    ids = list(municipality_ids)
    async with source() as session:
        held = await session.execute(
            select(KaaCase.municipality_id, KaaCase.assigned_staff_id, func.count(KaaCase.id))
            .where(KaaCase.municipality_id.in_(ids), KaaCase.status == CaseStatus.ACTIVE)
            .group_by(KaaCase.municipality_id, KaaCase.assigned_staff_id)
        )
        staff = dict(
            (
                await session.execute(
                    select(Staff.id, Staff.aad_object_id).where(
                        Staff.municipality_id.in_(ids), Staff.active
                    )
                )
            ).all()
        )
        conversations = await session.execute(
            select(ConversationRef.aad_object_id, ConversationRef.stale).where(
                ConversationRef.aad_object_id.in_(list(staff.values())),
                ConversationRef.conversation_type == "personal",
            )
        )
        reachable = set()
        seen = set()
        for aad, is_stale in conversations:
            seen.add(aad)
            if not is_stale:
                reachable.add(aad)
    per_municipality: dict[int, list[tuple[int | None, int]]] = {m: [] for m in ids}
    for municipality_id, holder, count in held:
        per_municipality[municipality_id].append((holder, count))
    stale = seen - reachable
    return {
        m: count_unattended(pairs, staff, reachable, stale) for m, pairs in per_municipality.items()
    }
