"""The national-size store the benchmarks run on, generated and bulk-inserted in one place.

290 municipalities of very uneven size, 60 000 youths with one case each (85 % active,
5 % unassigned), 1 000 000 contact events, home visits, measures, plans, occupations and
closed cases' deregistrations, all deterministic for a seed. The rows are inserted
directly (sqlite3 ``executemany``, PostgreSQL ``COPY``): the case API writes one audited
transaction per change, which would take hours for a million contact events.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg

from storage.db import create_engine, upgrade
from storage.demo import fictitious_personnummer

TODAY = date(2026, 10, 14)  # a Wednesday in the busy autumn
# fictitious_personnummer keeps two serial digits: a hundred numbers per birth day and gender.
SERIALS_PER_DAY = 100

Tables = dict[str, list[tuple[Any, ...]]]


@dataclass(frozen=True)
class Size:
    municipalities: int
    youths: int
    contacts: int


COLUMNS = {
    "municipality": ("id", "code", "name", "settings"),
    "staff": ("id", "aad_object_id", "name", "role", "municipality_id", "active", "created_at"),
    "youth": (
        "id",
        "municipality_id",
        "personnummer",
        "is_samordningsnummer",
        "birth_date",
        "gender",
        "first_name",
        "last_name",
        "protected_identity",
        "created_at",
    ),
    "kaa_case": (
        "id",
        "municipality_id",
        "youth_id",
        "registered_on",
        "registration_reason",
        "source",
        "assigned_staff_id",
        "status",
        "version",
        "created_at",
        "updated_at",
        "deregistered_on",
        "deregistration_reason",
    ),
    "occupation": ("id", "case_id", "kind", "extent_percent", "valid_from", "created_at"),
    "contact_event": (
        "id",
        "case_id",
        "occurred_on",
        "channel",
        "counterpart",
        "outcome",
        "staff_id",
        "created_at",
    ),
    "home_visit": ("id", "case_id", "planned_on", "visited_on", "outcome"),
    "measure": (
        "id",
        "case_id",
        "measure_type",
        "declined",
        "revision",
        "created_at",
        "starts_on",
        "ends_on",
        "follow_up_on",
        "evaluate_on",
        "end_reason",
        "ended_on",
        "evaluated_on",
    ),
    "plan_revision": ("id", "case_id", "revision", "goals", "created_at"),
}


def generate(size: Size, seed: int = 2026) -> Tables:
    """Every row of the store as tuples, ids assigned here, deterministic for a seed."""
    rng = random.Random(seed)
    now = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    tables: Tables = {name: [] for name in COLUMNS}
    weights = [rng.paretovariate(1.2) for _ in range(size.municipalities)]
    staff_of: list[list[int]] = []
    staff_id = 0
    for index in range(size.municipalities):
        municipality_id = index + 1
        tables["municipality"].append(
            (municipality_id, f"{index + 1:04d}", f"Kommun {index}", "{}")
        )
        members = []
        for role in ["coordinator"] * rng.randint(1, 5) + ["manager"]:
            staff_id += 1
            tables["staff"].append(
                (
                    staff_id,
                    f"aad-{staff_id:08d}",
                    f"Personal {staff_id}",
                    role,
                    municipality_id,
                    True,
                    now,
                )
            )
            if role == "coordinator":
                members.append(staff_id)
        staff_of.append(members)

    municipality_of = rng.choices(range(size.municipalities), weights=weights, k=size.youths)
    contacts_left = size.contacts
    # A personnummer is unique within a municipality: each (municipality, birth day,
    # gender) hands out its serials in turn, and a full day moves the birth a day on.
    serials_used: Counter[tuple[int, date, str]] = Counter()
    for youth_index in range(size.youths):
        youth_id = case_id = youth_index + 1
        municipality = municipality_of[youth_index]
        birth = date(2006, 11, 1) + timedelta(days=rng.randint(0, 3 * 365))
        gender = rng.choice(["kvinna", "man"])
        while serials_used[municipality, birth, gender] >= SERIALS_PER_DAY:
            birth += timedelta(days=1)
        serial = serials_used[municipality, birth, gender]
        serials_used[municipality, birth, gender] += 1
        tables["youth"].append(
            (
                youth_id,
                municipality + 1,
                fictitious_personnummer(birth, serial, gender),
                False,
                birth,
                gender,
                "Förnamn",
                f"Efternamn{youth_index}",
                False,
                now,
            )
        )
        registered = TODAY - timedelta(days=int(rng.triangular(0, 540, 30)))
        active = rng.random() < 0.85
        staff = rng.choice(staff_of[municipality]) if rng.random() < 0.95 else None
        tables["kaa_case"].append(
            (
                case_id,
                municipality + 1,
                youth_id,
                registered,
                "avbrott_nationellt",
                "gymnasieskola",
                staff,
                "active" if active else "closed",
                1,
                now,
                now,
            )
        )
        remaining_youths = size.youths - youth_index
        mean = contacts_left / remaining_youths
        count = min(contacts_left, int(rng.expovariate(1 / mean)) if mean > 0 else 0)
        if youth_index == size.youths - 1:
            count = contacts_left
        contacts_left -= count
        span = max(1, (TODAY - registered).days)
        for _ in range(count):
            occurred = registered + timedelta(days=rng.randint(0, span))
            outcome = rng.choices(["nadd", "ej_nadd", "avboejer", "infoblad"], [40, 50, 5, 5])[0]
            counterpart = rng.choices(
                ["ungdomen", "vardnadshavare", "skola", "annan_aktor"], [60, 25, 10, 5]
            )[0]
            tables["contact_event"].append(
                (
                    len(tables["contact_event"]) + 1,
                    case_id,
                    occurred,
                    rng.choice(["brev", "telefon", "sms", "epost", "mote"]),
                    counterpart,
                    outcome,
                    staff,
                    now,
                )
            )
        if rng.random() < 0.1:
            visited = registered + timedelta(days=rng.randint(0, span))
            tables["home_visit"].append(
                (
                    len(tables["home_visit"]) + 1,
                    case_id,
                    visited,
                    visited if visited <= TODAY else None,
                    rng.choice(["traffad", "ej_hemma"]),
                )
            )
        if rng.random() < 0.4:
            starts = registered + timedelta(days=rng.randint(0, span))
            ended = rng.random() < 0.3
            tables["measure"].append(
                (
                    len(tables["measure"]) + 1,
                    case_id,
                    "syv",
                    False,
                    1,
                    now,
                    starts,
                    starts + timedelta(days=90),
                    starts + timedelta(days=30),
                    starts + timedelta(days=90),
                    "Målet uppnått." if ended else None,
                    starts + timedelta(days=60) if ended else None,
                    starts + timedelta(days=80) if rng.random() < 0.3 else None,
                )
            )
        if rng.random() < 0.5:
            planned = registered + timedelta(days=rng.randint(0, span))
            tables["plan_revision"].append(
                (
                    len(tables["plan_revision"]) + 1,
                    case_id,
                    1,
                    "Mål",
                    datetime.combine(planned, datetime.min.time(), tzinfo=UTC),
                )
            )
    _closings_and_occupations(tables, random.Random(seed + 1), now)
    return tables


# Occupations as the chat records them: mostly studies, work or nothing, and some unknown.
OCCUPATION_WEIGHTS = {
    "studier_nationellt": 10,
    "studier_introduktion": 15,
    "studier_komvux": 10,
    "studier_folkhogskola": 5,
    "arbete": 15,
    "praktik": 5,
    "atgard_annan_aktor": 5,
    "ingen": 20,
    "okand": 12,
    "forhindrad": 2,
    "utomlands": 1,
}
DEREGISTRATION_WEIGHTS = {
    "borjat_nationellt": 40,
    "flyttat": 20,
    "slutfort": 10,
    "gymnasieexamen": 10,
    "annan": 15,
    "fyllt_20": 5,
}


def _closings_and_occupations(tables: Tables, rng: random.Random, now: datetime) -> None:
    """What SCB's half-year file needs besides the contacts: a closed case's day and reason,
    and each case's occupations — one from the registration, for some a later change, for
    a few none (SCB's checks refuse those, as they refuse an unknown occupation after an
    established contact). Drawn from a stream of their own, so that every row generated
    before stays the same for a seed."""
    kinds, weights = list(OCCUPATION_WEIGHTS), list(OCCUPATION_WEIGHTS.values())
    reasons, reason_weights = list(DEREGISTRATION_WEIGHTS), list(DEREGISTRATION_WEIGHTS.values())
    cases = []
    for row in tables["kaa_case"]:
        case_id, registered, status = row[0], row[3], row[7]
        span = max(1, (TODAY - registered).days)
        deregistered = reason = None
        if status == "closed":
            deregistered = registered + timedelta(days=rng.randint(0, span))
            reason = rng.choices(reasons, reason_weights)[0]
        cases.append((*row, deregistered, reason))
        if rng.random() < 0.05:
            continue
        starts = [registered]
        if rng.random() < 0.3:
            starts.append(registered + timedelta(days=rng.randint(1, span)))
        for valid_from in starts:
            kind = rng.choices(kinds, weights)[0]
            tables["occupation"].append(
                (len(tables["occupation"]) + 1, case_id, kind, 100, valid_from, now)
            )
    tables["kaa_case"] = cases


# ---------------------------------------------------------------- bulk inserts


def _sqlite_value(value: Any) -> Any:
    # The text formats SQLAlchemy's SQLite dialect stores dates and times in.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_sqlite(path: Path, tables: Tables) -> None:
    connection = sqlite3.connect(path)
    try:
        for name, rows in tables.items():
            columns = COLUMNS[name]
            marks = ", ".join("?" * len(columns))
            connection.executemany(
                f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})",
                ([_sqlite_value(v) for v in row] for row in rows),
            )
        connection.commit()
        connection.execute("ANALYZE")
    finally:
        connection.close()


async def insert_postgres(url: str, tables: Tables) -> None:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for name, rows in tables.items():
            await connection.copy_records_to_table(name, records=rows, columns=list(COLUMNS[name]))
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {len(rows) + 1})"
            )
        # A live store is vacuumed as it grows; without this, autovacuum would still be
        # working through the freshly loaded million rows while the benchmarks time, and
        # index-only scans would visit the table for every row.
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()


async def insert(run: EngineRun, tables: Tables) -> None:
    """Bulk-insert the store into a migrated, empty database of either engine."""
    if run.sqlite_path is not None:
        insert_sqlite(run.sqlite_path, tables)
    else:
        await insert_postgres(run.url, tables)


async def prepare(url: str, tables: Tables, sqlite_path: Path | None) -> float:
    """Migrate an empty database and bulk-insert the store; returns the seconds it took."""
    started = time.perf_counter()
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    await insert(EngineRun("", url, sqlite_path), tables)
    return time.perf_counter() - started


# ---------------------------------------------------------------- databases to run on


@dataclass
class EngineRun:
    name: str
    url: str
    sqlite_path: Path | None


def engines(names: list[str], workdir: Path) -> Iterator[EngineRun]:
    """A fresh SQLite file in ``workdir`` or a throwaway PostgreSQL server, per name in turn."""
    for name in names:
        if name == "sqlite":
            path = workdir / "bench.db"
            yield EngineRun(name, f"sqlite+aiosqlite:///{path}", path)
        else:
            from tests.postgres_server import PostgresServer

            server = PostgresServer()
            server.start()
            try:
                database = "bench"
                asyncio.run(_create_database(server.url("postgres"), database))
                yield EngineRun(name, server.url(database), None)
            finally:
                server.stop()


def given(url: str) -> EngineRun:
    """An empty database the caller already has (the smoke tests' own)."""
    if url.startswith("sqlite"):
        return EngineRun("sqlite", url, Path(url.split(":///", 1)[1]))
    return EngineRun("postgresql", url, None)


async def _create_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
