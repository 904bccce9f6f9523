"""`kaa-bot reminders run`: the daily reminder job, once, for one date."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import click

from bot.cli_support import parse_day
from bot.connector import BotTokens, Connector
from bot.proactive import ProactiveSender
from bot.reminders import make_send
from bot.settings import Settings, SettingsError, load_settings
from scheduler.daily import DailyJob, DayReport
from scheduler.planning import collector_paused
from storage.db import create_engine, create_sessionmaker, upgrade


async def _run(settings: Settings, day: date, dry_run: bool) -> DayReport:
    engine = create_engine(settings.database_url)
    connector = Connector(BotTokens(settings))
    try:
        await upgrade(engine)
        job = DailyJob(create_sessionmaker(engine), make_send(ProactiveSender(connector)))
        # This process runs the job and nothing else, so the collector may rest meanwhile.
        with collector_paused():
            return await job.run(day, dry_run=dry_run)
    finally:
        await connector.close()
        await engine.dispose()


def _summary(report: DayReport, dry_run: bool, timezone: str) -> str:
    if not report.digest_day:
        return f"{report.today.isoformat()} är ingen arbetsdag – ingen sammanfattning skickas."
    counts = report.counts()
    posts = sum(1 for _key, status in report.channel_posts if status == "sent")
    if dry_run:
        return (
            f"Provkörning för {report.today.isoformat()}: {counts['dry_run']} påminnelser "
            f"skulle skickas, {counts['already_sent']} är redan skickade. Inget skickades."
        )
    summary = (
        f"Påminnelser för {report.today.isoformat()}: {counts['sent']} skickade, "
        f"{counts['already_sent']} redan skickade, {counts['later']} väntar till i morgon, "
        f"{counts['no_conversation']} utan chatt, {counts['stale']} där boten är borttagen, "
        f"{counts['failed'] + counts['retry_later']} misslyckade (försöks igen), "
        f"{counts['gave_up']} misslyckade efter alla försök (cheferna har fått veta), "
        f"{counts['unassigned']} utan handläggare; {posts} inlägg i teamkanaler."
    )
    if report.pending:
        retry = min(report.pending.values()).astimezone(ZoneInfo(timezone))
        summary += f" Kör igen tidigast {retry:%H:%M} för nästa försök."
    return summary


@click.group(help="Påminnelser.")
def reminders() -> None:
    pass


@reminders.command("run", help="Kör dagens påminnelser en gång (samma jobb som schemat kör).")
@click.option("--date", "day", callback=parse_day, help="Datum ÅÅÅÅ-MM-DD (standard: idag).")
@click.option(
    "--dry-run", is_flag=True, help="Visa vad som skulle skickas; skicka och spara inget."
)
@click.option("--json", "as_json", is_flag=True, help="Skriv påminnelserna som JSON.")
def run(day: date | None, dry_run: bool, as_json: bool) -> None:
    try:
        settings = load_settings()
    except SettingsError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    day = day or datetime.now(ZoneInfo(settings.timezone)).date()
    try:
        report = asyncio.run(_run(settings, day, dry_run))
    except OSError as error:
        click.echo(f"Kunde inte nå databasen: {type(error).__name__}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps([item.to_json() for item in report.items], ensure_ascii=False))
    else:
        click.echo(_summary(report, dry_run, settings.timezone))
