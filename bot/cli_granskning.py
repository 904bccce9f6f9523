"""`kaa-bot report granskning`: each case graded the way municipal auditors grade a sample.

The active cases, or with ``--period`` every case in KAA during it (ongoing and closed);
``--urval 10`` draws a random sample and prints the auditor's table — per area how many
cases meet the requirements, partly or not, with the most common gaps — and then each
sampled case, as an audit report's appendix does. Cases are named by number only.
"""

from __future__ import annotations

import json
import random
import sys

import click

from bot.cli_support import cli_settings, municipality_actor, run_store, today
from scheduler.loading import load_municipalities
from storage.cases import CaseService
from storage.reports.granskning import Area, Status, common_gaps, summary
from storage.reports.granskning_cases import GradedCase, load_grades
from storage.reports.period import Period, PeriodError, parse_period
from storage.routine import routine_settings

COLUMNS = (Status.UPPFYLLER, Status.DELVIS, Status.INTE, Status.EJ_AKTUELL)


def draw(graded: list[GradedCase], size: int, seed: int) -> list[GradedCase]:
    """A random sample of ``size`` cases (all when there are fewer), in case order."""
    chosen = random.Random(seed).sample(graded, min(size, len(graded)))
    return sorted(chosen, key=lambda item: item.grade.case_id)


def auditor_table(graded: list[GradedCase]) -> list[str]:
    """Per area, the share of cases with each status (``-`` for none) and a comment."""
    grades = [item.grade for item in graded]
    counts, total = summary(grades), len(graded)
    widths = (14, 12, 18, 16, 12)
    header = ("Område", "Uppfyller", "Uppfyller delvis", "Uppfyller inte", "Ej aktuell")
    lines = [
        "".join(f"{cell:<{width}}" for cell, width in zip(header, widths, strict=True)).rstrip()
    ]
    for area in Area:
        cells = [area.value] + [
            f"{counts[area][status]}/{total}" if counts[area][status] else "-" for status in COLUMNS
        ]
        comment = "; ".join(f"{gap} ({n} av {total})" for gap, n in common_gaps(grades, area))
        row = "".join(f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=True))
        lines.append(f"{row}{comment}".rstrip())
    return lines


def appendix(graded: list[GradedCase], only_gaps: bool) -> list[str]:
    """Each case's grade per area; ``only_gaps``: just the cases that miss something."""
    lines = []
    for item in graded:
        if only_gaps and not item.grade.missing_any:
            continue
        closed = f", avslutat {item.closed_on.isoformat()}" if item.closed_on else ", pågående"
        lines.append(f"Ärende {item.grade.case_id}{closed}")
        for area, grade in item.grade.areas.items():
            gaps = f" – {'; '.join(grade.missing)}" if grade.missing else ""
            lines.append(f"  {area.value}: {grade.status.value}{gaps}")
    return lines


def _json(graded: list[GradedCase]) -> list[dict[str, object]]:
    return [
        {
            "case_id": item.grade.case_id,
            "closed_on": item.closed_on.isoformat() if item.closed_on else None,
            "areas": {
                area.value: {"status": grade.status.value, "missing": list(grade.missing)}
                for area, grade in item.grade.areas.items()
            },
        }
        for item in graded
    ]


@click.command("granskning", help="Bedöm ärendena som en revisor skulle göra.")
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option(
    "--period",
    "period_text",
    default=None,
    help="2026H1, 2026-03 eller 2025/26: alla ärenden "
    "i aktivitetsansvaret under perioden, även avslutade (standard: de aktiva idag).",
)
@click.option("--urval", "size", type=click.IntRange(min=1), default=None, help="Stickprov.")
@click.option("--slumpfro", "seed", type=int, default=None, help="Samma frö ger samma urval.")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
def granskning(
    municipality: str, period_text: str | None, size: int | None, seed: int | None, as_json: bool
) -> None:
    settings = cli_settings()
    day = today(settings)
    period: Period | None = None
    if period_text is not None:
        try:
            period = parse_period(period_text)
        except PeriodError as error:
            click.echo(str(error), err=True)
            sys.exit(2)

    async def work(cases: CaseService) -> list[GradedCase]:
        actor = await municipality_actor(cases, municipality)
        async with cases.sessionmaker() as session:
            rows = await load_municipalities(session, [actor.municipality_id or 0])
        routine = routine_settings(rows[0])
        return await load_grades(cases.sessionmaker, actor, routine, day, period=period)

    everything = run_store(settings, work)
    seed = random.SystemRandom().randrange(10**6) if seed is None else seed
    graded = everything if size is None else draw(everything, size, seed)
    counts = summary([g.grade for g in graded])
    scope = f"{period.label} ({period.start}–{period.end})" if period else day.isoformat()
    if as_json:
        document = {
            "municipality": municipality,
            "date": day.isoformat(),
            "period": period.code if period else None,
            "sample": {"size": len(graded), "of": len(everything), "seed": seed}
            if size is not None
            else None,
            "summary": {
                area.value: {status.value: counts[area][status] for status in Status}
                for area in Area
            },
            "cases": _json(graded),
        }
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    which = "pågående och avslutade" if period else "aktiva"
    if size is None:
        click.echo(f"Granskning {municipality}, {scope}: {len(graded)} ärenden ({which})")
    else:
        click.echo(
            f"Granskning {municipality}, {scope}: stickprov {len(graded)} av {len(everything)} "
            f"ärenden ({which}), slumpfrö {seed}"
        )
    click.echo("")
    for line in auditor_table(graded):
        click.echo(line)
    click.echo("")
    click.echo("Redovisning av stickprovet" if size is not None else "Ärenden med brister")
    for line in appendix(graded, only_gaps=size is None):
        click.echo(line)
