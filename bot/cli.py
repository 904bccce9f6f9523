"""`kaa-bot`: run the bot, set up the store, manage municipalities and staff."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from aiohttp import web

from bot.app import create_app
from bot.cli_audit import audit
from bot.cli_gallring import gallring, gallringstid
from bot.cli_import import import_command
from bot.cli_letters import contact_command, letters_command, templates_command
from bot.cli_registerutdrag import registerutdrag_command
from bot.cli_reminders import reminders
from bot.cli_reports import report
from bot.cli_routine import rutin
from bot.cli_scb import scb
from bot.cli_staff import staff_deactivate
from bot.cli_support import CLI_ACTOR, cli_settings, migrate, run_store, today
from bot.log_format import configure_logging
from bot.settings import Settings, SettingsError, require_safe_serving
from manifest.package import PACKAGE_NAME, DeveloperInfo, ManifestError, build_package
from storage import codes
from storage.backup import BackupError, backup
from storage.demo import DEMO_CODE, seed_demo


def _serving_settings() -> Settings:
    """The settings, once they are safe to serve with; the reason is one Swedish line."""
    settings = cli_settings()
    configure_logging(settings.log_format, settings.timezone)
    try:
        require_safe_serving(settings)
    except SettingsError as error:
        click.echo(str(error), err=True)
        sys.exit(2)
    return settings


@click.group(help="KAA-assistenten: Teams-bot för det kommunala aktivitetsansvaret.")
def main() -> None:
    pass


def _serve(settings: Settings, demo_municipality: str | None) -> None:
    app = create_app(settings, demo_municipality=demo_municipality)
    web.run_app(app, host=settings.host, port=settings.port, print=None)


@main.command(help="Kör boten (uppdaterar databasen först).")
def serve() -> None:
    settings = _serving_settings()
    migrate(settings)
    _serve(settings, None)


@main.command(help="Kör boten med en demokommun och påhittade ungdomar.")
def demo() -> None:
    settings = _serving_settings()
    created = run_store(settings, lambda cases: seed_demo(cases, today(settings), CLI_ACTOR))
    click.echo(
        f"Demokommunen ({DEMO_CODE}) {'skapades' if created else 'finns redan'}. "
        f"Boten lyssnar på http://{settings.host}:{settings.port}/api/messages"
    )
    _serve(settings, DEMO_CODE)


@main.group(help="Databasen.")
def db() -> None:
    pass


@db.command("upgrade", help="Uppdatera databasschemat till senaste versionen.")
def db_upgrade() -> None:
    migrate(cli_settings())
    click.echo("Databasen är uppdaterad.")


@db.command("backup", help="Säkerhetskopiera SQLite-databasen till FILE, även medan boten kör.")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(file: Path) -> None:
    try:
        size = backup(cli_settings().database_url, file)
    except BackupError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"Säkerhetskopian är skriven: {file} ({size / 1_000_000:.1f} MB)")


@main.group(help="Kommuner.")
def municipality() -> None:
    pass


@municipality.command("add", help="Lägg till en kommun.")
@click.option("--code", required=True, help="Kommunkod, fyra siffror.")
@click.option("--name", required=True, help="Kommunens namn.")
def municipality_add(code: str, name: str) -> None:
    created = run_store(cli_settings(), lambda cases: cases.add_municipality(CLI_ACTOR, code, name))
    click.echo(f"Kommunen {created.name} ({created.code}) är tillagd.")


@main.group(help="Personal.")
def staff() -> None:
    pass


@staff.command("add", help="Lägg till personal med deras Teams-id (aadObjectId).")
@click.option("--aad-id", required=True, help="Personens aadObjectId i Teams.")
@click.option("--name", required=True, help="Namn.")
@click.option(
    "--role", required=True, type=click.Choice([role.value for role in codes.ROLES]), help="Roll."
)
@click.option("--municipality", required=True, help="Kommunkod.")
def staff_add(aad_id: str, name: str, role: str, municipality: str) -> None:
    added = run_store(
        cli_settings(),
        lambda cases: cases.add_staff(CLI_ACTOR, aad_id.strip(), name, role, municipality),
    )
    click.echo(f"Personal {added.id} ({codes.ROLES[added.role]}) är tillagd.")


@main.group(help="Teams-appens paket.")
def manifest() -> None:
    pass


@manifest.command("build", help="Bygg Teams-appens paket (zip) för sidladdning.")
@click.option("--app-id", required=True, help="Botens Microsoft App ID (GUID).")
@click.option("--version", "version", default=None, help="Appens version, t.ex. 1.0.1.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=PACKAGE_NAME,
    show_default=True,
    help="Paketets fil.",
)
def manifest_build(app_id: str, version: str | None, out: Path) -> None:
    settings = cli_settings()
    developer = DeveloperInfo(
        name=settings.developer_name,
        website_url=settings.website_url,
        privacy_url=settings.privacy_url,
        terms_url=settings.terms_url,
    )
    try:
        path = build_package(app_id, developer, out.parent, version=version, file_name=out.name)
    except ManifestError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"Kunde inte skriva {out}: {error.strerror or type(error).__name__}", err=True)
        sys.exit(1)
    click.echo(f"Paketet är byggt: {path}")


main.add_command(import_command)
main.add_command(registerutdrag_command)
main.add_command(audit)
main.add_command(gallring)
main.add_command(gallringstid)
main.add_command(reminders)
main.add_command(report)
main.add_command(letters_command)
municipality.add_command(contact_command)
municipality.add_command(templates_command)
staff.add_command(staff_deactivate)
main.add_command(rutin)
main.add_command(scb)
