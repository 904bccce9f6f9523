"""The `kaa-bot` command line on both databases."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import main
from storage.models import AuditEntry, Staff


def test_municipality_and_staff_add(run, sessionmaker):
    assert run("db", "upgrade").exit_code == 0
    added = run("municipality", "add", "--code", "0580", "--name", "Linköping")
    assert added.exit_code == 0, added.output
    staff = run(
        "staff",
        "add",
        "--aad-id",
        "aad-1",
        "--name",
        "Anna",
        "--role",
        "manager",
        "--municipality",
        "0580",
    )
    assert staff.exit_code == 0, staff.output
    assert "chef" in staff.output
    again = run("municipality", "add", "--code", "0580", "--name", "Linköping")
    assert again.exit_code == 1
    assert "finns redan" in again.output
    unknown = run(
        "staff",
        "add",
        "--aad-id",
        "aad-2",
        "--name",
        "Bo",
        "--role",
        "coordinator",
        "--municipality",
        "0000",
    )
    assert unknown.exit_code == 1 and "ingen kommun" in unknown.output


async def test_cli_writes_are_audited(run, sessionmaker):
    # The CLI runs its own event loop, so it gets a thread of its own here.
    await asyncio.to_thread(run, "municipality", "add", "--code", "0682", "--name", "Nässjö")
    await asyncio.to_thread(
        run,
        "staff",
        "add",
        "--aad-id",
        "aad-9",
        "--name",
        "Bo",
        "--role",
        "admin",
        "--municipality",
        "0682",
    )
    async with sessionmaker() as session:
        staff = await session.scalar(select(Staff))
        actions = list(await session.scalars(select(AuditEntry.action)))
    assert staff.role == "admin"
    assert actions == ["municipality.add", "staff.add"]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORT", "abc"),
        ("PORT", "70000"),
        ("KAA_DATABASE_URL", "mysql://x"),
        ("KAA_TIMEZONE", "Mars/Olympus"),
        ("MicrosoftAppType", "Whatever"),
    ],
)
def test_invalid_setting_stops_with_one_line(variable, value, monkeypatch):
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Ogiltig inställning {variable}")
