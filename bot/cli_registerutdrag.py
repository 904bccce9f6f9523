"""`kaa-bot registerutdrag PERSONNUMMER --municipality CODE [--json]` (GDPR art. 15)."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import click

from storage.audit import Actor
from storage.cases import CaseError, CaseService
from storage.db import create_engine, create_sessionmaker, upgrade
from storage.personnummer import PersonnummerError, parse_personnummer
from storage.registerutdrag import build_registerutdrag, format_text


@click.command(
    "registerutdrag",
    help="Skriv ut allt som finns sparat om en person i kommunen (registerutdrag).",
)
@click.argument("personnummer")
@click.option("--municipality", required=True, help="Kommunkod, fyra siffror.")
@click.option("--json", "as_json", is_flag=True, help="Som JSON (formatet i README).")
def registerutdrag_command(personnummer: str, municipality: str, as_json: bool) -> None:
    # bot.cli registers this command at its end, so its helpers are imported only when run.
    from bot.cli import CLI_ACTOR, _settings

    settings = _settings()
    zone = ZoneInfo(settings.timezone)
    today = datetime.now(zone).date()
    try:
        parse_personnummer(personnummer, today)
    except PersonnummerError as error:
        click.echo(str(error), err=True)
        sys.exit(2)

    async def extract() -> dict[str, Any]:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            sessionmaker = create_sessionmaker(engine)
            found = await CaseService(sessionmaker).municipality_by_code(municipality)
            actor = Actor(label=CLI_ACTOR.label, municipality_id=found.id, role=CLI_ACTOR.role)
            return await build_registerutdrag(sessionmaker, actor, personnummer, today)
        finally:
            await engine.dispose()

    try:
        result = asyncio.run(extract())
    except CaseError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"Kunde inte nå databasen: {type(error).__name__}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(result, zone))
