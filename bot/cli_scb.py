"""`kaa-bot scb`: SCB's half-years — their deadlines, code lists and what is confirmed."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TypeVar

import click

from bot.cli_support import CLI_ACTOR, cli_settings, run_store, today
from storage.cases import CaseService
from storage.reports.period import PeriodError, half_year, next_half_year
from storage.scb.calendar import ScbCalendar
from storage.scb.codelists import CodeListError, CodeLists
from storage.scb.periods import ReportingPeriod, deadline_text, reporting_half_year

T = TypeVar("T")
STATUS_HALVES = 4


@contextmanager
def scb_refusals() -> Iterator[None]:
    """A half-year that is none is exit code 2, a missing or broken code list 1; in Swedish."""
    try:
        yield
    except PeriodError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    except CodeListError as error:
        click.echo(str(error), err=True)
        sys.exit(1)


def _run(work: Callable[[ScbCalendar], Awaitable[T]]) -> T:
    async def with_calendar(cases: CaseService) -> T:
        return await work(ScbCalendar(cases.sessionmaker))

    with scb_refusals():
        return run_store(cli_settings(), with_calendar)


def period_line(period: ReportingPeriod) -> str:
    code_list = period.code_list or "ingen installerad"
    confirmed = "bekräftad" if period.code_list_confirmed else "ej bekräftad"
    return f"{period.code}: sista dag {deadline_text(period)}; kodlista {code_list} ({confirmed})"


@click.group(help="SCB-rapporteringens halvår: sista dagar och kodlistor.")
def scb() -> None:
    pass


@scb.command("status", help="Visa halvårens sista dagar och kodlistor.")
@click.option("--from", "first", default=None, help="Första halvåret, t.ex. 2026H2.")
@click.option("--count", default=STATUS_HALVES, show_default=True, help="Antal halvår.")
def status(first: str | None, count: int) -> None:
    settings = cli_settings()

    async def work(calendar: ScbCalendar) -> list[ReportingPeriod]:
        half = half_year(first) if first else reporting_half_year(today(settings))
        halves = [half]
        for _ in range(max(count, 1) - 1):
            halves.append(next_half_year(halves[-1]))
        return await calendar.periods(halves)

    for period in _run(work):
        click.echo(period_line(period))


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2027-09-13.") from None


@scb.command("deadline", help="Ange SCB:s sista dag för ett halvår.")
@click.option("--period", "code", required=True, help="Halvåret, t.ex. 2027H1.")
@click.option("--date", "day", required=True, callback=_parse_date, help="ÅÅÅÅ-MM-DD.")
def deadline(code: str, day: date) -> None:
    period = _run(lambda calendar: calendar.set_deadline(CLI_ACTOR, code, day))
    click.echo(period_line(period))


@scb.group(help="SCB:s kodlistor.")
def kodlista() -> None:
    pass


@kodlista.command("import", help="Installera en ny kodlista (TOML) efter kontroll.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_code_list(file: Path) -> None:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        click.echo(f"Kodlistan {file.name} är inte UTF-8-text.", err=True)
        sys.exit(1)
    lists: CodeLists = _run(lambda calendar: calendar.install(CLI_ACTOR, text, file.name))
    click.echo(
        f"Kodlistan {lists.name} är installerad och gäller från {lists.valid_from} "
        "(och för senare halvår tills en nyare installeras)."
    )
    for missing in lists.missing():
        click.echo(f"Obs: ingen SCB-kod för {missing} – sådana rader listas av kontrollen.")


@kodlista.command("confirm", help="Bekräfta att kodlistan som gäller nu ska användas för halvåret.")
@click.option("--period", "code", required=True, help="Halvåret, t.ex. 2027H1.")
def confirm_code_list(code: str) -> None:
    period = _run(lambda calendar: calendar.confirm_code_list(CLI_ACTOR, code))
    click.echo(period_line(period))
