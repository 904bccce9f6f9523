"""`kaa-bot rutin`: show a municipality's routine for the reminders, or change it."""

from __future__ import annotations

import click

from bot.cli_support import CLI_ACTOR, cli_settings, run_store
from storage.cases import CaseService
from storage.routine import DEFAULT_WORD, RoutineService, RoutineSettings, describe


def _lines(routine: RoutineSettings) -> list[str]:
    return [
        f"{row.name:<34}{row.value:>6}{'*' if row.changed else '':<2}  "
        f"{row.description} ({row.allowed})"
        for row in describe(routine)
    ]


@click.command(help="Visa kommunens rutin för påminnelserna, eller ändra den med --set.")
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="NAMN=VÄRDE",
    help=f"Ändra en inställning (flera går bra; NAMN={DEFAULT_WORD} återställer standardvärdet).",
)
def rutin(municipality: str, assignments: tuple[str, ...]) -> None:
    async def work(cases: CaseService) -> RoutineSettings:
        service = RoutineService(cases.sessionmaker)
        if assignments:
            return await service.change(CLI_ACTOR, list(assignments), municipality)
        return await service.current(CLI_ACTOR, municipality)

    routine = run_store(cli_settings(), work)
    if assignments:
        click.echo(f"Rutinen för {municipality} är ändrad.")
    for line in _lines(routine):
        click.echo(line)
    click.echo("(* = ändrat från standardvärdet)")
