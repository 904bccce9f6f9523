"""A small municipality with assigned cases and stored 1:1 conversations, for reminder tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.staff import actor_for
from storage.audit import Actor
from storage.cases import CaseService, RegistrationInput
from storage.conversations import ConversationStore
from storage.demo import fictitious_personnummer

SYSTEM = Actor(label="test", municipality_id=None, role="system")
REGISTERED = date(2026, 3, 2)  # a Monday: first_contact is due Wednesday 2026-03-04
FIRST_CONTACT_DAY = date(2026, 3, 4)


class Clock:
    """A settable clock for the job's leases and retries."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass(frozen=True)
class Seeded:
    municipality_id: int
    staff_aad: list[str]
    case_ids: list[int]


def reference(service_url: str, conversation_id: str, aad: str, kind: str = "personal") -> dict:
    """A stored conversation reference, in Bot Framework's ConversationReference form."""
    return {
        "user": {"id": f"user-{aad}", "name": "Handläggare", "aadObjectId": aad},
        "bot": {"id": "bot-1", "name": "KAA-assistenten"},
        "conversation": {"id": conversation_id, "conversationType": kind},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }


async def remember_chat(
    sessionmaker: async_sessionmaker[AsyncSession],
    aad: str,
    conversation_id: str | None = None,
    service_url: str = "http://127.0.0.1:9/",
) -> str:
    """Store a staff member's 1:1 conversation (``personal-AAD`` unless named)."""
    conversation_id = conversation_id or f"personal-{aad}"
    await ConversationStore(sessionmaker).remember(
        conversation_id=conversation_id,
        conversation_type="personal",
        reference=reference(service_url, conversation_id, aad),
        aad_object_id=aad,
        tenant_id=None,
        team_id=None,
    )
    return conversation_id


async def remember_channel(
    sessionmaker: async_sessionmaker[AsyncSession],
    sender_aad: str,
    conversation_id: str = "19:kanal@thread.tacv2",
    team_id: str = "team-1",
) -> str:
    """Store a team channel; it belongs to the municipality of ``sender_aad``, who wrote there."""
    await ConversationStore(sessionmaker).remember(
        conversation_id=conversation_id,
        conversation_type="channel",
        reference=reference("http://127.0.0.1:9/", conversation_id, ""),
        aad_object_id=None,
        tenant_id=None,
        team_id=team_id,
        sender_aad_object_id=sender_aad,
    )
    return conversation_id


async def seed(
    sessionmaker: async_sessionmaker[AsyncSession],
    service_url: str,
    *,
    staff_count: int = 2,
    cases_per_staff: int = 2,
    unassigned: int = 0,
    code: str = "0580",
) -> Seeded:
    cases = CaseService(sessionmaker)
    municipality = await cases.add_municipality(SYSTEM, code, "Testkommun")
    aads, case_ids = [], []
    serial = 0
    for index in range(staff_count):
        aad = f"{code}0000-0000-0000-0000-{index:012d}"
        member = await cases.add_staff(SYSTEM, aad, f"Handläggare {index}", "coordinator", code)
        aads.append(aad)
        await remember_chat(sessionmaker, aad, f"personal-{code}-{index}", service_url)
        for _ in range(cases_per_staff):
            serial += 1
            case_ids.append(await _register(cases, actor_for(member), serial, member.id))
    coordinator = Actor(label="test", municipality_id=municipality.id, role="coordinator")
    for _ in range(unassigned):
        serial += 1
        case_ids.append(await _register(cases, coordinator, serial, None))
    return Seeded(municipality.id, aads, case_ids)


def _letters(serial: int) -> str:
    """A serial as letters (1 -> A, 27 -> AA): names hold no digits."""
    letters = ""
    while serial:
        serial, rest = divmod(serial - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


async def register(cases: CaseService, aad: str, serial: int) -> int:
    """One more case for the staff member ``aad``, registered like the seeded ones."""
    member = await cases.staff_by_aad_id(aad)
    assert member is not None
    return await _register(cases, actor_for(member), serial, member.id)


async def _register(cases: CaseService, actor: Actor, serial: int, staff_id: int | None) -> int:
    registration = await cases.register_youth(
        actor,
        RegistrationInput(
            personnummer=fictitious_personnummer(date(2008, 5, 1 + serial % 28), serial, "kvinna"),
            first_name="Testa",
            last_name=f"Person{_letters(serial)}",
            registered_on=REGISTERED,
            registration_reason="avbrott_nationellt",
            source="gymnasieskola",
            assigned_staff_id=staff_id,
        ),
        today=REGISTERED,
    )
    return registration.case_id
