"""`kaa-bot report`: key figures, the SCB half-year file and audit readiness for a municipality.

Output names cases by number only (never names or personnummer), except the SCB file itself.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from bot.cli_granskning import granskning
from bot.cli_scb import scb_refusals
from bot.cli_support import cli_settings, municipality_actor, run_store
from storage.cases import CaseService
from storage.reports.export import to_csv, to_xlsx
from storage.reports.kpi import KeyFigures, key_figures
from storage.reports.period import Period, PeriodError, parse_period
from storage.reports.scb import ScbFile, scb_file
from storage.scb.calendar import ScbCalendar
from storage.scb.periods import ReportingPeriod, deadline_text


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


@click.group(help="Rapporter: nyckeltal, SCB-filen och granskningsberedskap.")
def report() -> None:
    pass


report.add_command(granskning)


@report.command("kpi", help="Nyckeltal för en månad, ett halvår eller ett läsår.")
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option("--period", "period_text", required=True, help="2026-03, 2026H1 eller 2025/26.")
@click.option(
    "--format", "output_format", type=click.Choice(["json", "xlsx", "csv"]), default="json"
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Fil att skriva.")
def kpi(municipality: str, period_text: str, output_format: str, out: Path | None) -> None:
    period = _period(period_text)

    async def work(cases: CaseService) -> KeyFigures:
        return await key_figures(
            cases.sessionmaker, await municipality_actor(cases, municipality), period
        )

    figures = run_store(cli_settings(), work)
    if output_format == "json":
        data = (json.dumps(figures.to_json(), ensure_ascii=False, indent=2) + "\n").encode()
    elif output_format == "csv":
        data = to_csv(figures.to_table())
    else:
        data = to_xlsx(figures.to_table())
        safe_period = period.code.replace("/", "-")
        out = out or Path(f"nyckeltal_{municipality}_{safe_period}.xlsx")
    if out is None:
        sys.stdout.buffer.write(data)
        return
    out.write_bytes(data)
    click.echo(f"Nyckeltalen för {period.label} är sparade i {out}.")


@report.command("scb", help="SCB-filen för ett halvår, efter samma kontroller som SCB gör.")
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option("--period", "period_code", required=True, help="Halvåret, t.ex. 2027H1.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Skriv filen även om kontrollen hittar fel.")
def scb(municipality: str, period_code: str, out: Path, force: bool) -> None:
    async def work(cases: CaseService) -> tuple[ReportingPeriod, ScbFile]:
        period = await ScbCalendar(cases.sessionmaker).period(period_code)
        actor = await municipality_actor(cases, municipality)
        return period, await scb_file(cases.sessionmaker, actor, period)

    with scb_refusals():
        period, result = run_store(cli_settings(), work)
    lists = f"kodlistan {result.code_lists.name}"
    click.echo(f"Kontroll enligt {lists}, sista dag {deadline_text(period)}.", err=True)
    for problem in result.problems:
        click.echo(f"rad {problem.row}, ärende {problem.case_id}: {problem.message}", err=True)
    if result.problems and not force:
        click.echo(
            f"Kontrollen hittade {len(result.problems)} fel som SCB skulle underkänna. "
            "Rätta dem och kör igen, eller skriv filen ändå med --force. Ingen fil skrevs.",
            err=True,
        )
        sys.exit(1)
    out.write_bytes(result.to_bytes())
    click.echo(
        f"SCB-filen för {period.code} ({lists}) med {len(result.rows)} ungdomar är sparad i {out}."
    )
