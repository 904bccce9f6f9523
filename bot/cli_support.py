"""What every `kaa-bot` command shares: settings, the store, the CLI's own actor."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

import click

from bot.settings import Settings, SettingsError, load_settings
from storage.audit import Actor
from storage.cases import CaseError, CaseService
from storage.codes import Role
from storage.db import create_engine, create_sessionmaker, upgrade

CLI_ACTOR = Actor(label="cli", municipality_id=None, role=Role.SYSTEM)

T = TypeVar("T")


def cli_settings() -> Settings:
    """The settings, or one Swedish line naming the bad one and exit code 2."""
    try:
        return load_settings()
    except SettingsError as error:
        click.echo(str(error), err=True)
        sys.exit(2)


def today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.timezone)).date()


def parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    """A click callback for a --date option: ÅÅÅÅ-MM-DD, or None when not given."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-16.") from None


def run_store(settings: Settings, work: Callable[[CaseService], Awaitable[T]]) -> T:
    """Run one piece of store work on a migrated database, with Swedish refusals."""

    async def main() -> T:
        engine = create_engine(settings.database_url)
        try:
            await upgrade(engine)
            return await work(CaseService(create_sessionmaker(engine)))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(main())
    except CaseError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"Kunde inte nå databasen: {type(error).__name__}", err=True)
        sys.exit(1)


def migrate(settings: Settings) -> None:
    """Bring the database schema up to date; `run_store` migrates before any work."""

    async def nothing(_cases: CaseService) -> None:
        return None

    run_store(settings, nothing)


async def municipality_actor(cases: CaseService, code: str) -> Actor:
    """The CLI acting within one municipality, so every query is scoped to it."""
    found = await cases.municipality_by_code(code)
    return Actor(label=CLI_ACTOR.label, municipality_id=found.id, role=CLI_ACTOR.role)
