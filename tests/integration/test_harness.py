"""The test harness itself: settings come only from the test, the clock from `--today`."""

from __future__ import annotations

import asyncio
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from bot.settings import Settings, load_settings
from storage.audit import Actor
from storage.cases import CaseService
from storage.demo import DEMO_CODE, DEMO_NAME
from storage.models import AuditEntry, Municipality
from tests import clock
from tests.environment import clean_environ, hide_shell_settings
from tests.integration.teams import say

SYSTEM = Actor(label="test", municipality_id=None, role="system")
OTHER_TENANT = "99999999-9999-9999-9999-999999999999"
APP_ID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def developer_shell(tmp_path, monkeypatch) -> None:
    """A working directory with a `.env` and a shell with setting variables, each of which
    would stop the bot from answering the integration tests' requests, read as production
    reads them."""
    (tmp_path / ".env").write_text(
        f"KAA_ALLOWED_TENANTS={OTHER_TENANT}\n"
        "KAA_DATABASE_URL=sqlite+aiosqlite:///./from-dotenv.db\n"
        "KAA_TIMEZONE=America/New_York\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(Settings.model_config, "env_file", ".env")
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("MicrosoftAppPassword", "secret")
    monkeypatch.setenv("KAA_REMINDERS", "1")
    monkeypatch.setenv("port", "1")
    shell = load_settings()
    assert shell.allowed_tenant_ids == {OTHER_TENANT} and shell.app_id == APP_ID
    assert shell.timezone == "America/New_York" and shell.port == 1


async def test_the_bot_the_tests_start_ignores_the_developers_shell(
    developer_shell, start_bot, connector, sessionmaker
):
    await CaseService(sessionmaker).add_municipality(SYSTEM, DEMO_CODE, DEMO_NAME)
    bot = await start_bot()

    replies = await say(bot, connector, "hjälp")

    assert "Det här kan jag hjälpa dig med" in replies[0]


def test_commands_in_this_process_see_only_what_the_test_sets(
    developer_shell, database_url, engine, monkeypatch, tmp_path
):
    add = ["municipality", "add", "--code", "0580", "--name", "Linköping"]
    leaked = CliRunner().invoke(main, add)
    assert leaked.exit_code == 0 and (tmp_path / "from-dotenv.db").exists()

    hide_shell_settings(monkeypatch)
    monkeypatch.setenv("KAA_DATABASE_URL", database_url)
    added = CliRunner().invoke(main, add)

    assert added.exit_code == 0, added.output  # not "finns redan" from the .env's database


def test_a_child_process_gets_a_clean_environment(developer_shell):
    child = clean_environ(KAA_DATABASE_URL="sqlite+aiosqlite:///x.db")

    assert child["KAA_DATABASE_URL"] == "sqlite+aiosqlite:///x.db"
    assert not {"MicrosoftAppId", "MicrosoftAppPassword", "KAA_REMINDERS", "port"} & set(child)


def test_today_is_the_day_given_by_the_option(pytestconfig):
    value = pytestconfig.getoption("today")
    if value is not None:
        expected = clock.moment(value).date()
        assert date.today() == expected
        assert datetime.now(clock.ZONE).date() == expected
        return
    # Unmoved: the same day as a process that time-machine cannot touch says.
    before = subprocess.run(["date", "+%F"], capture_output=True, text=True, check=True).stdout
    today = date.today()
    after = subprocess.run(["date", "+%F"], capture_output=True, text=True, check=True).stdout
    assert today.isoformat() in {before.strip(), after.strip()}


async def test_a_kaa_bot_child_runs_on_the_sessions_clock(
    kaa_bot_command, database_url, engine, sessionmaker, tmp_path
):
    started = datetime.now(UTC)
    await asyncio.to_thread(
        subprocess.run,
        kaa_bot_command("municipality", "add", "--code", "0580", "--name", "Linköping"),
        env=clean_environ(KAA_DATABASE_URL=database_url),
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=120,
    )

    async with sessionmaker() as session:
        assert await session.scalar(select(Municipality.code)) == "0580"
        at = await session.scalar(
            select(AuditEntry.at).where(AuditEntry.action == "municipality.add")
        )
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    assert started - timedelta(seconds=5) <= at <= datetime.now(UTC) + timedelta(seconds=5)
