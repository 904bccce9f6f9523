"""Benchmark: the daily reminder computation on a national-size store, next to hand-written SQL.

Builds 290 municipalities, 60 000 youths (one case each) and 1 000 000 contact events
on SQLite and on PostgreSQL (a throwaway server from tests/postgres_server.py), then
times, for all municipalities at once:

- ``plan_day``: what the daily job computes (facts loaded with a few set-based
  queries, the pure rules per case, done/snoozed states, SCB counts);
- the same job end to end as a dry run (also reads the digests' names);
- the same on the same day in an SCB-deadline week (SCB's date for 2026H1 set to the
  Monday after), when the job also counts every municipality's incomplete SCB data;
- one hand-written SQL statement that finds the same due items for the contact
  routine (first_contact, contact_goal, contact_followup, home_visit,
  home_visit_followup), plan_missing and the three measure kinds, with the
  rules' date arithmetic turned into date thresholds computed beforehand; in the
  SCB-deadline week also a second one that counts the incomplete SCB data
  (bench/scb_sql.py), as the job does.

It checks that both find exactly the same items for those kinds, and the same SCB
counts for every municipality, and prints a table.
The store comes from bench/national.py (generated and bulk-inserted there).

    .venv/bin/python -m bench.reminders                  # national size, both engines
    .venv/bin/python -m bench.reminders --youths 600 --contacts 10000 --municipalities 5
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Date, bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.national import TODAY, Size, engines, generate, given, prepare
from bench.scb_sql import incomplete_by_sql
from bench.scb_sql import statement as scb_statement
from scheduler.calendar import add_months, add_working_days
from scheduler.daily import DailyJob
from scheduler.messages import SendOutcome
from scheduler.planning import plan_day
from scheduler.scb_incomplete import incomplete_scb_counts
from storage.audit import Actor
from storage.db import create_engine, create_sessionmaker
from storage.models import Municipality
from storage.routine import RoutineSettings
from storage.scb.calendar import ScbCalendar
from storage.scb.periods import ReportingPeriod

BENCH_ACTOR = Actor(label="bench", municipality_id=None, role="system")
SCB_PERIOD = "2026H1"
SCB_DEADLINE = date(2026, 10, 19)  # the Monday after TODAY: TODAY is in its deadline week
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
WITH h AS (
    SELECT k.id AS case_id, k.registered_on,
           MIN(e.occurred_on) AS first_any,
           MAX(e.occurred_on) AS last_any,
           MIN(CASE WHEN {ESTABLISHED} THEN e.occurred_on END) AS first_est,
           MAX(CASE WHEN {ESTABLISHED} THEN e.occurred_on END) AS last_est,
           MIN(v.visited_on) AS first_visit,
           MAX(v.visited_on) AS last_visit,
           MIN(CASE WHEN v.outcome = 'traffad' THEN v.visited_on END) AS first_met,
           MAX(CASE WHEN v.outcome = 'traffad' THEN v.visited_on END) AS last_met
    FROM kaa_case k
    LEFT JOIN home_visit v ON v.case_id = k.id AND v.visited_on IS NOT NULL
    LEFT JOIN contact_event e ON e.case_id = k.id
    WHERE k.status = 'active'
    GROUP BY k.id, k.registered_on
), f AS (
    SELECT case_id, registered_on, last_any, last_est, last_visit, last_met,
           {_least("first_any", "first_visit")} AS first_attempt,
           {_greatest("last_any", "last_visit")} AS last_attempt,
           {_least("first_est", "first_met")} AS first_reached,
           {_greatest("last_est", "last_met")} AS last_reached
    FROM h
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
    WHERE NOT m.cancelled
      AND m.follow_up_on IS NOT NULL AND m.end_reason IS NULL AND m.follow_up_on <= :until
      AND (f.last_est IS NULL OR f.last_est < m.follow_up_on)
UNION ALL
SELECT 'measure_evaluation', f.case_id, m.id, m.evaluate_on
    FROM f JOIN measure m ON m.case_id = f.case_id
    WHERE NOT m.cancelled
      AND m.evaluate_on IS NOT NULL AND m.evaluated_on IS NULL AND m.evaluate_on <= :until
UNION ALL
SELECT 'measure_end_overdue', f.case_id, m.id, m.ends_on
    FROM f JOIN measure m ON m.case_id = f.case_id
    WHERE NOT m.cancelled
      AND m.ends_on IS NOT NULL AND m.end_reason IS NULL AND m.ends_on <= :day_before_until
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


@dataclass(frozen=True)
class ScbCount:
    """An SCB-deadline week's count: the period, its SQL and what the job's own check gives."""

    period: ReportingPeriod
    sql: str
    expected: dict[int, int]


async def _hand_side(engine: AsyncEngine, scb: ScbCount | None) -> tuple[set[str], dict[int, int]]:
    """What the hand-written SQL finds: the due items and, in an SCB week, the counts."""
    keys = await hand_written(engine, TODAY)
    counts = await incomplete_by_sql(engine, scb.sql, scb.period) if scb else {}
    return keys, counts


async def _rounds(
    engine: AsyncEngine, sessionmaker: Any, repeats: int, scb: ScbCount | None = None
) -> dict[str, Any]:
    plan_times, job_times, sql_times = [], [], []
    plan = None
    sql_keys: set[str] = set()
    sql_counts: dict[int, int] = {}
    for round_ in range(repeats):
        # The same data and date for both, in alternating order, so neither always
        # runs right after the other has warmed the caches.
        if round_ % 2:
            started = time.perf_counter()
            sql_keys, sql_counts = await _hand_side(engine, scb)
            sql_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        plan = await plan_day(sessionmaker, TODAY)
        plan_times.append(time.perf_counter() - started)
        if not round_ % 2:
            started = time.perf_counter()
            sql_keys, sql_counts = await _hand_side(engine, scb)
            sql_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        await DailyJob(sessionmaker, _never_send).run(TODAY, dry_run=True)
        job_times.append(time.perf_counter() - started)
    assert plan is not None
    items = [a.reminder for a in plan.assignments()]
    rule_keys = {r.key for r in items if r.kind in SQL_KINDS}
    counts_agree = scb is None or sql_counts == scb.expected
    return {
        "plan_day": _best(plan_times),
        "dry_run_job": _best(job_times),
        "hand_sql": _best(sql_times),
        "plan_day_all": plan_times,
        "hand_sql_all": sql_times,
        "due_items": len({r.key for r in items}),
        "scb_items": sum(r.kind == "scb_deadline" for r in items),
        "compared_items": len(rule_keys),
        "scb_incomplete": sum(sql_counts.values()),
        "agree": rule_keys == sql_keys and counts_agree,
        "only_rules": sorted(rule_keys - sql_keys)[:5],
        "only_sql": sorted(sql_keys - rule_keys)[:5],
        "scb_counts_differ": {}
        if counts_agree or scb is None
        else {
            m: (scb.expected.get(m, 0), sql_counts.get(m, 0))
            for m in sorted(set(scb.expected) | set(sql_counts))
            if scb.expected.get(m, 0) != sql_counts.get(m, 0)
        },
    }


async def measure(url: str, repeats: int) -> list[dict[str, Any]]:
    """An ordinary day, then the same day in an SCB-deadline week: SCB's date for the first
    half-year set (as an admin would) to the Monday after, so the day shows the one-week
    stage and counts every municipality's incomplete SCB data."""
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    try:
        ordinary = await _rounds(engine, sessionmaker, repeats)
        calendar = ScbCalendar(sessionmaker)
        period = await calendar.set_deadline(BENCH_ACTOR, SCB_PERIOD, SCB_DEADLINE)
        lists = await calendar.code_lists(SCB_PERIOD)
        # What the job's own check counts, once, for the hand-written statement to match.
        async with sessionmaker() as session:
            ids = list((await session.execute(select(Municipality.id))).scalars())
        expected = await incomplete_scb_counts(sessionmaker, [period], {SCB_PERIOD: ids})
        scb = ScbCount(
            period,
            scb_statement(engine, lists),
            {m: n for m, by_period in expected.items() if (n := by_period[SCB_PERIOD])},
        )
        deadline_week = await _rounds(engine, sessionmaker, repeats, scb)
        if not deadline_week["scb_items"]:
            raise AssertionError("the SCB-deadline week showed no scb_deadline reminder")
        return [{"day": "vanlig dag", **ordinary}, {"day": "SCB-vecka", **deadline_week}]
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--youths", type=int, default=60_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--url", help="an empty database to use instead of fresh ones")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    size = Size(args.municipalities, args.youths, args.contacts)

    generated = 0.0
    results = []
    with tempfile.TemporaryDirectory(prefix="kaa-bench-") as workdir:
        runs = [given(args.url)] if args.url else engines(args.engines.split(","), Path(workdir))
        for run in runs:
            # Generated anew for each engine (the same data for a seed) and dropped once
            # loaded: the million generated rows kept alive would be scanned by Python's
            # cycle collector during every plan, which a bot serving chat turns never holds.
            started = time.perf_counter()
            tables = generate(size)
            generated = time.perf_counter() - started
            loaded = asyncio.run(prepare(run.url, tables, run.sqlite_path))
            del tables
            gc.collect()
            # Other work on the machine slows both sides; the load average says how much.
            busy_before = os.getloadavg()[0]
            days = asyncio.run(measure(run.url, args.repeats))
            busy = (busy_before, os.getloadavg()[0])
            results += [
                {"engine": run.name, "load": loaded, "load_average": busy, **day} for day in days
            ]

    if args.json:
        print(json.dumps({"size": size.__dict__, "results": results}, indent=2))
    else:
        print(
            f"{size.municipalities} kommuner, {size.youths} ungdomar, {size.contacts} kontakter "
            f"(data genererad på {generated:.1f} s)\n"
        )
        print(
            "| motor | dag | inläsning | plan_day (alla kommuner) | hela jobbet, provkörning "
            "| handskriven SQL | kvot | förfallna | jämförda | ofullständiga för SCB | lika "
            "| systemlast |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for r in results:
            ratio = r["plan_day"] / r["hand_sql"] if r["hand_sql"] else float("inf")
            print(
                f"| {r['engine']} | {r['day']} | {r['load']:.1f} s | {r['plan_day']:.2f} s | "
                f"{r['dry_run_job']:.2f} s | {r['hand_sql']:.2f} s | {ratio:.2f}x | "
                f"{r['due_items']} | {r['compared_items']} | {r['scb_incomplete']} | "
                f"{'ja' if r['agree'] else 'NEJ'} | "
                f"{r['load_average'][0]:.1f}–{r['load_average'][1]:.1f} |"
            )
    disagreements = [r for r in results if not r["agree"]]
    for r in disagreements:
        print(
            f"{r['engine']}: only rules {r['only_rules']}, only SQL {r['only_sql']}, "
            f"SCB counts (check, SQL) {r['scb_counts_differ']}",
            file=sys.stderr,
        )
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
