"""The bot's demo store as `bench.turns` uses it: which youth to show, where to log contacts,
whose cases "vad har jag idag?" lists, and how many contacts were really written.

The bot seeds the store itself (`kaa-bot demo`, storage/demo.py); the benchmark only reads it,
and assigns the demo's cases to the users it benchmarks through the case API, so that their
"vad har jag idag?" answers list due reminders as a working coordinator's would (the demo
leaves every case unassigned). Card submissions log contacts on a few cases no benchmarked
user is assigned, so the answers stay the same size, and give the same number of replies,
however many contacts the run writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bench.processes import BenchError
from storage.audit import Actor
from storage.cases import CaseService
from storage.db import create_engine, create_sessionmaker
from storage.demo import DEMO_CODE
from storage.models import AuditEntry, ContactEvent, KaaCase, Municipality, Staff, Youth

WRITE_CASES = 4
ZONE = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class DemoPlan:
    visa_name: str
    # Contacts are logged on these; no benchmarked user is assigned them.
    write_cases: tuple[int, ...]
    # Shared out among the users who ask "vad har jag idag?".
    listed_cases: tuple[int, ...]
    # The bot's date when it seeded the store, by its own clock: the contacts' date. Not
    # this process's date, which a test may have moved (--today) and which may have passed
    # midnight before the bot did.
    seeded_on: date


class DemoStore:
    def __init__(self, database: Path) -> None:
        self._engine = create_engine(f"sqlite+aiosqlite:///{database}")
        self._sessionmaker = create_sessionmaker(self._engine)
        self._cases = CaseService(self._sessionmaker)

    async def close(self) -> None:
        await self._engine.dispose()

    async def _municipality(self) -> int:
        async with self._sessionmaker() as session:
            found = await session.scalar(
                select(Municipality.id).where(Municipality.code == DEMO_CODE)
            )
        if found is None:
            raise BenchError("the demo municipality is missing")
        return found

    async def plan(self) -> DemoPlan:
        """The youth to show is the active one without protected identity whose full name
        no other youth has and whose case has the most contacts (the fullest case card)."""
        municipality = await self._municipality()
        contacts = (
            select(func.count(ContactEvent.id))
            .where(ContactEvent.case_id == KaaCase.id)
            .scalar_subquery()
        )
        async with self._sessionmaker() as session:
            rows = (
                await session.execute(
                    select(
                        KaaCase.id,
                        KaaCase.status,
                        Youth.first_name,
                        Youth.last_name,
                        Youth.protected_identity,
                        contacts.label("contacts"),
                    )
                    .join(Youth, KaaCase.youth_id == Youth.id)
                    .where(KaaCase.municipality_id == municipality)
                    .order_by(KaaCase.id)
                )
            ).all()
            seeded_at = await session.scalar(select(func.max(AuditEntry.at)))
        if seeded_at is None:
            raise BenchError("the demo store has no audit entries from its seeding")
        if seeded_at.tzinfo is None:
            seeded_at = seeded_at.replace(tzinfo=UTC)
        names = [f"{row.first_name} {row.last_name}" for row in rows]
        shown = max(
            (
                row
                for row, name in zip(rows, names, strict=True)
                if row.status == "active" and not row.protected_identity and names.count(name) == 1
            ),
            key=lambda row: row.contacts,
        )
        active = [row.id for row in rows if row.status == "active" and row.id != shown.id]
        write = tuple(active[-WRITE_CASES:])
        listed = tuple(case for case in [shown.id, *active] if case not in write)
        return DemoPlan(
            f"{shown.first_name} {shown.last_name}",
            write,
            listed,
            seeded_at.astimezone(ZONE).date(),
        )

    async def assign(self, plan: DemoPlan, aad_object_ids: list[str]) -> None:
        """Share the listed cases out round-robin among these users (who have written)."""
        municipality = await self._municipality()
        async with self._sessionmaker() as session:
            staff = dict(
                (
                    await session.execute(
                        select(Staff.aad_object_id, Staff.id).where(
                            Staff.aad_object_id.in_(aad_object_ids)
                        )
                    )
                ).all()
            )
            versions = dict(
                (
                    await session.execute(
                        select(KaaCase.id, KaaCase.version).where(KaaCase.id.in_(plan.listed_cases))
                    )
                ).all()
            )
        missing = set(aad_object_ids) - set(staff)
        if missing:
            raise BenchError(f"{len(missing)} benchmarked user(s) never became staff")
        # As a manager: the demo's first writer already holds some of the listed cases.
        actor = Actor("bench", municipality, "manager")
        for index, case_id in enumerate(plan.listed_cases):
            aad = aad_object_ids[index % len(aad_object_ids)]
            await self._cases.assign(actor, case_id, staff[aad], versions[case_id])

    async def contacts(self) -> int:
        async with self._sessionmaker() as session:
            return int(await session.scalar(select(func.count(ContactEvent.id))) or 0)
