"""`kaa-bot import FILE --municipality CODE [--handlaggare AAD-ID]`: register youths from a
CSV or XLSX file."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bot.cli_support import cli_settings, municipality_actor, run_store, today
from storage.cases import CaseService
from storage.imports import MAX_FILE_BYTES, ImportFileError, ImportResult, import_file


@click.command("import", help="Läs in ungdomar från en CSV- eller XLSX-fil.")
@click.argument("file")
@click.option("--municipality", required=True, help="Kommunkod, fyra siffror.")
@click.option(
    "--handlaggare",
    default=None,
    help="Handläggarens aadObjectId: får filens nya ärenden och de kända som saknar "
    "handläggare (en handlaggare-kolumn gäller före).",
)
def import_command(file: str, municipality: str, handlaggare: str | None) -> None:
    # bot.cli registers this command at its end, so its helpers are imported only when run.

    settings = cli_settings()
    content = _read(Path(file))

    async def work(cases: CaseService) -> ImportResult:
        actor = await municipality_actor(cases, municipality)
        return await import_file(
            cases, actor, content, Path(file).name, today(settings), default_staff=handlaggare
        )

    try:
        result = run_store(settings, work)
    except ImportFileError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(result.summary())


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            click.echo(
                f"Filen är för stor. Jag läser filer på högst {MAX_FILE_BYTES // 1024 // 1024} MB "
                "– dela upp den.",
                err=True,
            )
            sys.exit(1)
        return path.read_bytes()
    except IsADirectoryError:
        click.echo("Det där är en mapp, inte en fil.", err=True)
    except FileNotFoundError:
        click.echo("Hittar ingen sådan fil.", err=True)
    except OSError as error:
        click.echo(f"Kunde inte läsa filen: {type(error).__name__}", err=True)
    sys.exit(1)
