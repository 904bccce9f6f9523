"""`kaa-bot registerutdrag PERSONNUMMER --municipality CODE [--json]` (GDPR art. 15)."""

from __future__ import annotations

import json
import sys
from typing import Any
from zoneinfo import ZoneInfo

import click

from bot.cli_support import cli_settings, municipality_actor, run_store, today
from storage.cases import CaseService
from storage.personnummer import PersonnummerError, parse_personnummer
from storage.registerutdrag import build_registerutdrag
from storage.registerutdrag_text import format_text


@click.command(
    "registerutdrag",
    help="Skriv ut allt som finns sparat om en person i kommunen (registerutdrag).",
)
@click.argument("personnummer")
@click.option("--municipality", required=True, help="Kommunkod, fyra siffror.")
@click.option("--json", "as_json", is_flag=True, help="Som JSON (formatet i README).")
def registerutdrag_command(personnummer: str, municipality: str, as_json: bool) -> None:
    settings = cli_settings()
    zone = ZoneInfo(settings.timezone)
    on = today(settings)
    try:
        parse_personnummer(personnummer, on)
    except PersonnummerError as error:
        click.echo(str(error), err=True)
        sys.exit(2)

    async def extract(cases: CaseService) -> dict[str, Any]:
        actor = await municipality_actor(cases, municipality)
        return await build_registerutdrag(cases.sessionmaker, actor, personnummer, on)

    result = run_store(settings, extract)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(result, zone))
