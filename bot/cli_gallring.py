"""`kaa-bot gallring`: anonymise cases closed longer ago than the municipality's retention."""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from bot.cli_support import CLI_ACTOR, cli_settings, run_store
from storage.retention import RETENTION_SETTING, GallringResult, RetentionService


def _describe(result: GallringResult, dry_run: bool) -> str:
    name = f"{result.municipality_name} ({result.municipality_code})"
    if result.error:
        return f"{name}: {result.error} Inget gallrades."
    if result.retention_months is None:
        return f"{name}: ingen gallringstid ({RETENTION_SETTING}) är inställd – inget gallras."
    if not result.case_ids:
        return f"{name}: inget att gallra ({result.retention_months} månader)."
    verb = "skulle gallras" if dry_run else "gallrades"
    cases = ", ".join(str(case_id) for case_id in result.case_ids)
    return (
        f"{name}: {len(result.case_ids)} ärenden för {result.youth_count} ungdomar {verb} "
        f"({result.retention_months} månader): ärende {cases}."
    )


@click.command(help="Gallra: anonymisera avslutade ärenden som är äldre än kommunens gallringstid.")
@click.option("--dry-run", is_flag=True, help="Visa bara vad som skulle gallras.")
@click.option("--municipality", default=None, help="Bara den här kommunkoden.")
def gallring(dry_run: bool, municipality: str | None) -> None:
    settings = cli_settings()
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    results = run_store(
        settings,
        lambda cases: RetentionService(cases.sessionmaker).gallra(
            CLI_ACTOR, today, municipality_code=municipality, dry_run=dry_run
        ),
    )
    for result in results:
        click.echo(_describe(result, dry_run))
    if any(result.error for result in results):
        sys.exit(1)


@click.command(help="Ställ in kommunens gallringstid i månader (eller ta bort den med --off).")
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option("--months", type=int, default=None, help="Antal hela månader, minst 1.")
@click.option("--off", is_flag=True, help="Ingen gallringstid: inget gallras.")
def gallringstid(municipality: str, months: int | None, off: bool) -> None:
    if off == (months is not None):
        click.echo("Ange antingen --months eller --off.", err=True)
        sys.exit(2)
    updated = run_store(
        cli_settings(),
        lambda cases: RetentionService(cases.sessionmaker).set_retention(
            CLI_ACTOR, municipality, None if off else months
        ),
    )
    click.echo(
        f"{updated.name} ({updated.code}): "
        + (f"gallringstid {months} månader." if months else "ingen gallringstid – inget gallras.")
    )
