"""`kaa-bot audit`: list the audit log for a youth or for a staff member."""

from __future__ import annotations

import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from bot.cli_support import CLI_ACTOR, cli_settings, run_store
from storage.audit_trail import AuditLine, AuditTrail


def _format(line: AuditLine, zone: ZoneInfo) -> str:
    who = f"{line.staff_name} ({line.staff_aad_id})" if line.staff_aad_id else line.actor
    parts = [
        line.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
        line.action,
        f"ärende {line.case_id}" if line.case_id is not None else "–",
        who,
    ]
    if line.detail:
        parts.append(line.detail)
    return "  ".join(parts)


@click.command(help="Visa granskningsloggen för en ungdom eller för en person i personalen.")
@click.option("--personnummer", help="Ungdomens personnummer (kräver --municipality).")
@click.option("--municipality", help="Kommunkod där ungdomen finns.")
@click.option("--staff", "staff_aad_id", help="Personalens aadObjectId.")
def audit(personnummer: str | None, municipality: str | None, staff_aad_id: str | None) -> None:
    if bool(personnummer) == bool(staff_aad_id):
        click.echo("Ange antingen --personnummer och --municipality, eller --staff.", err=True)
        sys.exit(2)
    if personnummer and not municipality:
        click.echo("Ange kommunkoden med --municipality tillsammans med --personnummer.", err=True)
        sys.exit(2)
    settings = cli_settings()
    zone = ZoneInfo(settings.timezone)

    async def work(cases) -> list[AuditLine]:
        trail = AuditTrail(cases.sessionmaker)
        if staff_aad_id:
            return await trail.for_staff(CLI_ACTOR, staff_aad_id.strip())
        today = datetime.now(zone).date()
        return await trail.for_personnummer(CLI_ACTOR, personnummer, municipality, today)

    lines = run_store(settings, work)
    if not lines:
        click.echo("Inga poster i granskningsloggen.")
        return
    for line in lines:
        click.echo(_format(line, zone))
