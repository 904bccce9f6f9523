"""`kaa-bot brev`, and the municipality's letter settings (contact details, own templates).

Output names cases by number only, never names or personnummer; the PDF holds the letters.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date
from pathlib import Path

import click

from bot.cli_support import (
    CLI_ACTOR,
    cli_settings,
    municipality_actor,
    parse_day,
    run_store,
    today,
)
from storage.cases import CaseError, CaseService
from storage.letters.kinds import LETTERS
from storage.letters.library import SHIPPED
from storage.letters.selection import Selection
from storage.letters.settings import LetterSettings, parse_contact
from storage.letters.writing import LetterBatch, LetterWriter


@click.command("brev", help="Skriv brev (en PDF) för ett ärende, ett personnummer eller alla nya.")
@click.argument("kind", type=click.Choice(list(LETTERS)))
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option("--case", "case_id", type=int, default=None, help="Ärendenummer.")
@click.option("--personnummer", default=None, help="Ungdomens personnummer.")
@click.option("--alla-nya", "all_new", is_flag=True, help="Alla aktiva ärenden utan kontaktförsök.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--tid", "time_window", default=None, help="Hembesök: tiden, t.ex. 14-16.")
@click.option("--sprak", "language", default="sv", show_default=True, help="Mallens språk.")
@click.option(
    "--date", "day", callback=parse_day, help="Brevens datum ÅÅÅÅ-MM-DD (standard: idag)."
)
def letters_command(
    kind: str,
    municipality: str,
    case_id: int | None,
    personnummer: str | None,
    all_new: bool,
    out: Path,
    time_window: str | None,
    language: str,
    day: date | None,
) -> None:
    if (case_id is not None) + (personnummer is not None) + all_new != 1:
        click.echo("Ange ett av --case, --personnummer och --alla-nya.", err=True)
        sys.exit(2)
    settings = cli_settings()
    written_on = day or today(settings)

    async def work(cases: CaseService) -> LetterBatch:
        actor = await municipality_actor(cases, municipality)
        selection = Selection(case_id=case_id, personnummer=personnummer, all_new=all_new)
        return await LetterWriter(cases).write(
            actor, kind, selection, written_on, language=language, time_window=time_window
        )

    batch = run_store(settings, work)
    for line in batch.summary(names=False):
        click.echo(line)
    if batch.pdf is None:
        click.echo("Inget brev skrevs, ingen fil sparades.", err=True)
        sys.exit(1)
    out.write_bytes(batch.pdf)
    click.echo(f"Breven är sparade i {out}.")


@click.command("contact", help="Kommunens kontaktuppgifter i breven.")
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option("--name", required=True, help="Kontaktperson, t.ex. KAA-samordnaren.")
@click.option("--phone", required=True, help="Telefonnummer ungdomarna ringer.")
@click.option("--email", default=None, help="E-postadress.")
@click.option("--address", default=None, help="Postadress som står under avsändaren.")
@click.option("--sender", default=None, help="Avsändare, t.ex. Linköpings kommun.")
def contact_command(
    municipality: str,
    name: str,
    phone: str,
    email: str | None,
    address: str | None,
    sender: str | None,
) -> None:
    try:
        contact = parse_contact(name, phone, email, address, sender)
    except CaseError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    updated = run_store(
        cli_settings(),
        lambda cases: LetterSettings(cases.sessionmaker).set_contact(
            CLI_ACTOR, municipality, contact
        ),
    )
    click.echo(
        f"{updated.name} ({updated.code}): breven hänvisar till {contact.name}, {contact.phone}."
    )


@click.command("letters", help="Kommunens egna brevmallar (en mapp), eller de medföljande.")
@click.option("--municipality", required=True, help="Kommunkod.")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option(
    "--copy-shipped", is_flag=True, help="Kopiera de medföljande mallarna till mappen först."
)
@click.option("--shipped", "use_shipped", is_flag=True, help="Använd de medföljande mallarna.")
def templates_command(
    municipality: str, folder: Path | None, copy_shipped: bool, use_shipped: bool
) -> None:
    if use_shipped == (folder is not None):
        click.echo("Ange antingen --dir MAPP eller --shipped.", err=True)
        sys.exit(2)
    if folder is not None and copy_shipped:
        copied = _copy_shipped(folder)
        click.echo(f"{copied} mallar kopierades till {folder} (befintliga filer lämnades orörda).")

    async def work(cases: CaseService) -> str:
        municipality_row, count = await LetterSettings(cases.sessionmaker).set_template_folder(
            CLI_ACTOR, municipality, folder
        )
        if folder is None:
            return f"{municipality_row.name}: breven skrivs med de medföljande mallarna."
        return (
            f"{municipality_row.name}: {count} egna mallar i {folder} är kontrollerade och används."
        )

    click.echo(run_store(cli_settings(), work))


def _copy_shipped(folder: Path) -> int:
    copied = 0
    for template in sorted(SHIPPED.glob("*/*.md")):
        target = folder / template.parent.name / template.name
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)
        copied += 1
    return copied
