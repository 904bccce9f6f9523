"""Benchmark: the daily reminder computation on a national-size store, next to hand-written SQL.

Builds 290 municipalities, 60 000 youths (one case each) and 1 000 000 contact events
on SQLite and on PostgreSQL (a throwaway server from tests/postgres_server.py), then
times, for all municipalities at once:

- ``plan_day``: what the daily job computes (facts loaded with a few set-based
  queries, the pure rules per case, done/snoozed states, SCB counts);
- the same job end to end as a dry run (also reads the digests' names);
- one hand-written SQL statement that finds the same due items for the contact
  routine (first_contact, contact_goal, contact_followup, home_visit,
  home_visit_followup), plan_missing and the three measure kinds, with the
  rules' date arithmetic turned into date thresholds computed beforehand.

It checks that both find exactly the same items for those kinds and prints a table.
The store is bulk-inserted directly (sqlite3 executemany / PostgreSQL COPY): going
through the case API — one audited transaction per change — would take hours for a
million contact events.

    .venv/bin/python -m bench.reminders                  # national size, both engines
    .venv/bin/python -m bench.reminders --youths 600 --contacts 10000 --municipalities 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import Date, bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduler.calendar import add_months, add_working_days
from scheduler.daily import DailyJob, SendOutcome, plan_day
from scheduler.routine import RoutineSettings
from storage.db import create_engine, create_sessionmaker, upgrade
from storage.demo import fictitious_personnummer

TODAY = date(2026, 10, 14)  # a Wednesday in the busy autumn
SQL_KINDS = frozenset(
    {
        "first_contact",
        "contact_goal",
        "contact_followup",
        "home_visit",
        "home_visit_followup",
        "plan_missing",
        "measure_followup",
        "measure_evaluation",
        "measure_end_overdue",
    }
)
MEASURE_KINDS = frozenset({"measure_followup", "measure_evaluation", "measure_end_overdue"})
ESTABLISHED = (
    "e.outcome IN ('nadd', 'avboejer') AND e.counterpart IN ('ungdomen', 'vardnadshavare')"
)


# ---------------------------------------------------------------- the store


@dataclass(frozen=True)
class Size:
    municipalities: int
    youths: int
    contacts: int


def generate(size: Size, seed: int = 2026) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the store as tuples, ids assigned here, deterministic for a seed."""
    rng = random.Random(seed)
    now = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
    tables: dict[str, list[tuple[Any, ...]]] = {
        name: []
        for name in (
            "municipality",
            "staff",
            "youth",
            "kaa_case",
            "contact_event",
            "home_visit",
            "measure",
            "plan_revision",
        )
    }
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
    taken: set[tuple[int, str]] = set()
    for youth_index in range(size.youths):
        youth_id = case_id = youth_index + 1
        municipality = municipality_of[youth_index]
        birth = date(2006, 11, 1) + timedelta(days=rng.randint(0, 3 * 365))
        gender = rng.choice(["kvinna", "man"])
        serial = youth_index
        while (municipality, pnr := fictitious_personnummer(birth, serial, gender)) in taken:
            serial += 1
        taken.add((municipality, pnr))
        tables["youth"].append(
            (
                youth_id,
                municipality + 1,
                pnr,
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
    return tables


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
    ),
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


def _sqlite_value(value: Any) -> Any:
    # The text formats SQLAlchemy's SQLite dialect stores dates and times in.
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_sqlite(path: Path, tables: dict[str, list[tuple[Any, ...]]]) -> None:
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


async def insert_postgres(url: str, tables: dict[str, list[tuple[Any, ...]]]) -> None:
    connection = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        for name, rows in tables.items():
            await connection.copy_records_to_table(name, records=rows, columns=list(COLUMNS[name]))
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), {len(rows) + 1})"
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


# ---------------------------------------------------------------- hand-written SQL


def _latest_day(limit: date, due: Callable[[date], date]) -> date:
    """The latest anchor day whose due date (monotonic in the anchor) is on or before ``limit``."""
    day = limit
    while due(day) > limit:
        day -= timedelta(days=1)
    return day


def _least(a: str, b: str) -> str:
    return f"CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL OR {a} <= {b} THEN {a} ELSE {b} END"


def _greatest(a: str, b: str) -> str:
    return f"CASE WHEN {a} IS NULL THEN {b} WHEN {b} IS NULL OR {a} >= {b} THEN {a} ELSE {b} END"


HAND_SQL = f"""
WITH ce AS (
    SELECT e.case_id,
           MIN(e.occurred_on) AS first_any,
           MAX(e.occurred_on) AS last_any,
           MIN(CASE WHEN {ESTABLISHED} THEN e.occurred_on END) AS first_est,
           MAX(CASE WHEN {ESTABLISHED} THEN e.occurred_on END) AS last_est
    FROM contact_event e JOIN kaa_case k ON k.id = e.case_id
    WHERE k.status = 'active'
    GROUP BY e.case_id
), hv AS (
    SELECT h.case_id,
           MIN(h.visited_on) AS first_visit,
           MAX(h.visited_on) AS last_visit,
           MIN(CASE WHEN h.outcome = 'traffad' THEN h.visited_on END) AS first_met,
           MAX(CASE WHEN h.outcome = 'traffad' THEN h.visited_on END) AS last_met
    FROM home_visit h JOIN kaa_case k ON k.id = h.case_id
    WHERE k.status = 'active' AND h.visited_on IS NOT NULL
    GROUP BY h.case_id
), f AS (
    SELECT k.id AS case_id, k.registered_on, ce.last_any, ce.last_est, hv.last_visit, hv.last_met,
           {_least("ce.first_any", "hv.first_visit")} AS first_attempt,
           {_greatest("ce.last_any", "hv.last_visit")} AS last_attempt,
           {_least("ce.first_est", "hv.first_met")} AS first_reached,
           {_greatest("ce.last_est", "hv.last_met")} AS last_reached
    FROM kaa_case k
    LEFT JOIN ce ON ce.case_id = k.id
    LEFT JOIN hv ON hv.case_id = k.id
    WHERE k.status = 'active'
)
SELECT 'first_contact', case_id, CAST(NULL AS INTEGER), registered_on FROM f
    WHERE first_attempt IS NULL AND registered_on <= :first_contact
UNION ALL
SELECT 'contact_goal', case_id, CAST(NULL AS INTEGER), registered_on FROM f
    WHERE last_reached IS NULL AND registered_on <= :contact_goal
UNION ALL
SELECT 'contact_followup', case_id, CAST(NULL AS INTEGER), first_attempt FROM f
    WHERE last_reached IS NULL AND first_attempt = last_attempt
      AND first_attempt <= :contact_followup
UNION ALL
SELECT 'home_visit', case_id, CAST(NULL AS INTEGER), first_attempt FROM f
    WHERE last_reached IS NULL AND first_attempt IS NOT NULL AND last_visit IS NULL
      AND first_attempt <= :home_visit
UNION ALL
SELECT 'home_visit_followup', case_id, CAST(NULL AS INTEGER), last_visit FROM f
    WHERE last_visit IS NOT NULL AND (last_met IS NULL OR last_met < last_visit)
      AND (last_reached IS NULL OR last_reached < last_visit)
      AND (last_any IS NULL OR last_any <= last_visit)
      AND last_visit <= :home_visit_followup
UNION ALL
SELECT 'plan_missing', case_id, CAST(NULL AS INTEGER), first_reached FROM f
    WHERE first_reached IS NOT NULL AND first_reached <= :plan_missing
      AND NOT EXISTS (SELECT 1 FROM plan_revision p WHERE p.case_id = f.case_id)
UNION ALL
SELECT 'measure_followup', f.case_id, m.id, m.follow_up_on
    FROM f JOIN measure m ON m.case_id = f.case_id
    WHERE m.follow_up_on IS NOT NULL AND m.end_reason IS NULL AND m.follow_up_on <= :until
      AND (f.last_est IS NULL OR f.last_est < m.follow_up_on)
UNION ALL
SELECT 'measure_evaluation', f.case_id, m.id, m.evaluate_on
    FROM f JOIN measure m ON m.case_id = f.case_id
    WHERE m.evaluate_on IS NOT NULL AND m.evaluated_on IS NULL AND m.evaluate_on <= :until
UNION ALL
SELECT 'measure_end_overdue', f.case_id, m.id, m.ends_on
    FROM f JOIN measure m ON m.case_id = f.case_id
    WHERE m.ends_on IS NOT NULL AND m.end_reason IS NULL AND m.ends_on <= :day_before_until
"""


def thresholds(today: date, settings: RoutineSettings, horizon_days: int = 7) -> dict[str, date]:
    until = today + timedelta(days=horizon_days)
    return {
        "first_contact": _latest_day(
            until, lambda d: add_working_days(d, settings.first_contact_working_days)
        ),
        "contact_goal": until - timedelta(weeks=settings.contact_goal_weeks),
        "contact_followup": _latest_day(
            until, lambda d: add_months(d, settings.contact_followup_months)
        ),
        "home_visit": _latest_day(until, lambda d: add_months(d, settings.home_visit_months)),
        "home_visit_followup": _latest_day(
            until, lambda d: add_months(d, settings.home_visit_followup_months)
        ),
        "plan_missing": until - timedelta(weeks=settings.plan_missing_weeks),
        "until": until,
        "day_before_until": until - timedelta(days=1),
    }


async def hand_written(engine: AsyncEngine, today: date) -> set[str]:
    values = thresholds(today, RoutineSettings())
    statement = text(HAND_SQL).bindparams(*(bindparam(name, type_=Date) for name in values))
    async with engine.connect() as connection:
        rows = (await connection.execute(statement, values)).all()
    keys = set()
    for kind, case_id, measure_id, anchor in rows:
        day = anchor if isinstance(anchor, str) else anchor.isoformat()
        keys.add(
            f"{kind}:{case_id}:{measure_id}:{day}"
            if kind in MEASURE_KINDS
            else f"{kind}:{case_id}:{day}"
        )
    return keys


# ---------------------------------------------------------------- timing


async def _never_send(_reference: dict[str, Any], _message: Any) -> SendOutcome:
    raise AssertionError("a dry run sends nothing")


def _best(samples: list[float]) -> float:
    return min(samples)


async def measure(url: str, repeats: int) -> dict[str, Any]:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    try:
        plan_times, job_times, sql_times = [], [], []
        plan = None
        sql_keys: set[str] = set()
        for _ in range(repeats):
            started = time.perf_counter()
            plan = await plan_day(sessionmaker, TODAY)
            plan_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            sql_keys = await hand_written(engine, TODAY)
            sql_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            await DailyJob(sessionmaker, _never_send).run(TODAY, dry_run=True)
            job_times.append(time.perf_counter() - started)
        assert plan is not None
        rule_keys = {a.reminder.key for a in plan.assignments if a.reminder.kind in SQL_KINDS}
        return {
            "plan_day": _best(plan_times),
            "dry_run_job": _best(job_times),
            "hand_sql": _best(sql_times),
            "due_items": len({a.reminder.key for a in plan.assignments}),
            "compared_items": len(rule_keys),
            "agree": rule_keys == sql_keys,
            "only_rules": sorted(rule_keys - sql_keys)[:5],
            "only_sql": sorted(sql_keys - rule_keys)[:5],
        }
    finally:
        await engine.dispose()


async def prepare(
    url: str, tables: dict[str, list[tuple[Any, ...]]], sqlite_path: Path | None
) -> float:
    started = time.perf_counter()
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    if sqlite_path is not None:
        insert_sqlite(sqlite_path, tables)
    else:
        await insert_postgres(url, tables)
    return time.perf_counter() - started


@dataclass
class EngineRun:
    name: str
    url: str
    sqlite_path: Path | None


def _engines(names: list[str], workdir: Path) -> Iterator[EngineRun]:
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


def _given(url: str) -> EngineRun:
    if url.startswith("sqlite"):
        return EngineRun("sqlite", url, Path(url.split(":///", 1)[1]))
    return EngineRun("postgresql", url, None)


async def _create_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--youths", type=int, default=60_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--url", help="an empty database to use instead of fresh ones")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    size = Size(args.municipalities, args.youths, args.contacts)

    started = time.perf_counter()
    tables = generate(size)
    generated = time.perf_counter() - started
    results = []
    with tempfile.TemporaryDirectory(prefix="kaa-bench-") as workdir:
        runs = [_given(args.url)] if args.url else _engines(args.engines.split(","), Path(workdir))
        for run in runs:
            loaded = asyncio.run(prepare(run.url, tables, run.sqlite_path))
            result = asyncio.run(measure(run.url, args.repeats))
            results.append({"engine": run.name, "load": loaded, **result})

    if args.json:
        print(json.dumps({"size": size.__dict__, "results": results}, indent=2))
    else:
        print(
            f"{size.municipalities} kommuner, {size.youths} ungdomar, {size.contacts} kontakter "
            f"(data genererad på {generated:.1f} s)\n"
        )
        print(
            "| motor | inläsning | plan_day (alla kommuner) | hela jobbet, provkörning "
            "| handskriven SQL | kvot | förfallna | jämförda | lika |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for r in results:
            ratio = r["plan_day"] / r["hand_sql"] if r["hand_sql"] else float("inf")
            print(
                f"| {r['engine']} | {r['load']:.1f} s | {r['plan_day']:.2f} s | "
                f"{r['dry_run_job']:.2f} s | {r['hand_sql']:.2f} s | {ratio:.1f}x | "
                f"{r['due_items']} | {r['compared_items']} | {'ja' if r['agree'] else 'NEJ'} |"
            )
    disagreements = [r for r in results if not r["agree"]]
    for r in disagreements:
        print(
            f"{r['engine']}: only rules {r['only_rules']}, only SQL {r['only_sql']}",
            file=sys.stderr,
        )
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
