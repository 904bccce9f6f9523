"""`kaa-bot staff deactivate`: a staff member who leaves, their cases to a colleague."""

from __future__ import annotations

import click

from bot.cli_support import cli_settings, municipality_actor, run_store
from storage.caseload import Deactivation
from storage.cases import CaseService


@click.command("deactivate", help="Avaktivera personal som slutar; ärendena flyttas.")
@click.option("--aad-id", required=True, help="Personens aadObjectId i Teams.")
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option("--handover-to", default=None, help="Kollegans aadObjectId; annars utan handläggare.")
def staff_deactivate(aad_id: str, municipality: str, handover_to: str | None) -> None:
    async def work(cases: CaseService) -> Deactivation:
        actor = await municipality_actor(cases, municipality)
        return await cases.deactivate_staff(actor, aad_id, handover_to)

    click.echo(run_store(cli_settings(), work).summary())
