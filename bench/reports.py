"""Benchmark: quick questions and reports on a national-size store, on SQLite and PostgreSQL.

The national store comes from the benchmarks' shared generator (``bench.national``:
290 municipalities, 60 000 youths, 1 000 000 contact events, occupations), bulk-inserted
directly — not through the case API, which would take hours. It times:

- "vad har jag idag?" for the coordinator with the most active cases in the municipality
  closest to 400 cases (the whole answer: facts, rules, states, names, audit entries
  committed, the card), p95 and median of 200 answers after 10 unmeasured warm-up ones;
- the key figures for that municipality (one half-year);
- the SCB export of every youth: each municipality's manager exports their own checked
  file in turn (one transaction and one batch of audit entries each), and the file is
  written to disk — 290 files, 60 000 rows in all.

It checks that every answer and every exported row left its audit entries, and prints
the load average, since the machine's other work shows in the p95.

    .venv/bin/python -m bench.reports
    .venv/bin/python -m bench.reports --youths 600 --contacts 10000 --municipalities 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.national import TODAY, Size, generate, prepare
from bench.national import engines as _engines
from bench.percentiles import percentile
from dialogs.context import FlowContext
from dialogs.engine import Turn
from dialogs.intents import Intent, Recognition
from dialogs.queries import answer
from storage.audit import Actor
from storage.cases import CaseService
from storage.db import create_engine, create_sessionmaker
from storage.models import AuditEntry, KaaCase, Staff
from storage.reports.kpi import key_figures
from storage.reports.period import parse_period
from storage.reports.scb import scb_file
from storage.scb.calendar import ScbCalendar

TARGET_CASES = 400
TODAY_RUNS = 200
TODAY_WARMUP = 10


async def _audited(sessionmaker: Any, action: str) -> int:
    async with sessionmaker() as session:
        return await session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == action)
        )


async def measure(url: str, workdir: Path) -> dict[str, Any]:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    cases = CaseService(sessionmaker)
    try:
        async with sessionmaker() as session:
            sizes = dict(
                (
                    await session.execute(
                        select(KaaCase.municipality_id, func.count(KaaCase.id)).group_by(
                            KaaCase.municipality_id
                        )
                    )
                ).all()
            )
            municipality = min(sizes, key=lambda m: abs(sizes[m] - TARGET_CASES))
            staff_id = await session.scalar(
                select(KaaCase.assigned_staff_id)
                .where(KaaCase.municipality_id == municipality, KaaCase.status == "active")
                .group_by(KaaCase.assigned_staff_id)
                .order_by(func.count(KaaCase.id).desc())
                .limit(1)
            )
            staff_cases = await session.scalar(
                select(func.count(KaaCase.id)).where(
                    KaaCase.assigned_staff_id == staff_id, KaaCase.status == "active"
                )
            )
            role = await session.scalar(select(Staff.role).where(Staff.id == staff_id))
        coordinator = Actor("bench", municipality, role or "coordinator", staff_id)
        context = FlowContext(cases, coordinator)
        turn = Turn("vad har jag idag?", None, TODAY)
        for _ in range(TODAY_WARMUP):
            await answer(Recognition(Intent.TODAY), turn, context)
        listed_before = await _audited(sessionmaker, "case.list")
        samples = []
        for _ in range(TODAY_RUNS):
            started = time.perf_counter()
            replies = await answer(Recognition(Intent.TODAY), turn, context)
            samples.append(time.perf_counter() - started)
        listed = (await _audited(sessionmaker, "case.list") - listed_before) // TODAY_RUNS

        manager = Actor("bench", municipality, "manager")
        period = parse_period("2026H2")
        kpi_samples = []
        for _ in range(5):
            started = time.perf_counter()
            await key_figures(sessionmaker, manager, period)
            kpi_samples.append(time.perf_counter() - started)

        half_year = await ScbCalendar(sessionmaker).period("2026H2")
        exported_before = await _audited(sessionmaker, "report.scb")
        files = workdir / "scb"
        files.mkdir(exist_ok=True)
        started = time.perf_counter()
        rows = 0
        for municipality_id in sorted(sizes):
            result = await scb_file(
                sessionmaker, Actor("bench", municipality_id, "manager"), half_year
            )
            (files / result.file_name).write_bytes(result.to_bytes())
            rows += len(result.rows)
        scb_seconds = time.perf_counter() - started
        exported = await _audited(sessionmaker, "report.scb") - exported_before
    finally:
        await engine.dispose()
    text = replies[0].text or ""
    if exported != rows or (listed == 0 and "att göra" in text):
        raise AssertionError(f"audit entries missing: {exported} of {rows} SCB rows, {listed}")
    return {
        "municipality_cases": sizes[municipality],
        "coordinator_cases": staff_cases,
        "today_items": int(due.group(1)) if (due := re.search(r"(\d+) att göra", text)) else 0,
        "today_audited": listed,
        "today_p95_ms": percentile(samples, 0.95) * 1000,
        "today_median_ms": statistics.median(samples) * 1000,
        "kpi_ms": min(kpi_samples) * 1000,
        "kpi_max_ms": max(kpi_samples) * 1000,
        "scb_seconds": scb_seconds,
        "scb_rows": rows,
        "scb_files": len(sizes),
        "load_average": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=290)
    parser.add_argument("--youths", type=int, default=60_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    size = Size(args.municipalities, args.youths, args.contacts)
    tables = generate(size)
    results = []
    with tempfile.TemporaryDirectory(prefix="kaa-bench-") as workdir:
        for run in _engines(args.engines.split(","), Path(workdir)):
            asyncio.run(prepare(run.url, tables, run.sqlite_path))
            results.append({"engine": run.name, **asyncio.run(measure(run.url, Path(workdir)))})
    if args.json:
        print(json.dumps({"size": size.__dict__, "results": results}, indent=2))
        return 0
    print(f"{size.municipalities} kommuner, {size.youths} ungdomar, {size.contacts} kontakter\n")
    print(
        "| motor | vad har jag idag? p95 (median) | nyckeltal | SCB-export alla rader "
        "| belastning |\n|---|---|---|---|---|"
    )
    for r in results:
        print(
            f"| {r['engine']} | {r['today_p95_ms']:.0f} ms ({r['today_median_ms']:.0f} ms; "
            f"{r['coordinator_cases']} ärenden, {r['today_items']} att göra, "
            f"{r['today_audited']} granskningsposter) | {r['kpi_ms']:.0f} ms "
            f"({r['municipality_cases']} ärenden) | {r['scb_seconds']:.1f} s "
            f"({r['scb_files']} filer, {r['scb_rows']} rader) | {r['load_average']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
