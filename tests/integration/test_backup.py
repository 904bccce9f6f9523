"""Backups restore into a store the demo bot serves: `kaa-bot db backup` on SQLite, pg_dump on
PostgreSQL (the commands of the README's Drift section)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from storage.audit import Actor
from storage.backup import BackupError, backup
from storage.cases import CaseService
from storage.demo import seed_demo
from tests.integration.teams import say
from tests.postgres_server import PostgresServer

SYSTEM = Actor(label="test", municipality_id=None, role="system")
ENROLLED = re.compile(r"\*\*(\d+)\*\* ungdomar är inskrivna")


def sqlite_backup_and_restore(database_url: str, tmp_path: Path) -> str:
    copy = tmp_path / "backup" / "kaa-backup.db"
    copy.parent.mkdir()
    result = CliRunner().invoke(
        main, ["db", "backup", str(copy)], env={"KAA_DATABASE_URL": database_url}
    )
    assert result.exit_code == 0, result.output
    assert f"Säkerhetskopian är skriven: {copy}" in result.output
    restored = tmp_path / "restored" / "kaa.db"
    restored.parent.mkdir()
    shutil.copyfile(copy, restored)
    return f"sqlite+aiosqlite:///{restored}"


def postgresql_backup_and_restore(database_url: str, server: PostgresServer, tmp_path: Path) -> str:
    refused = CliRunner().invoke(
        main, ["db", "backup", str(tmp_path / "x.db")], env={"KAA_DATABASE_URL": database_url}
    )
    assert refused.exit_code == 1 and "pg_dump" in refused.output
    assert not (tmp_path / "x.db").exists()
    libpq = database_url.replace("+asyncpg", "")
    dump = tmp_path / "kaa.dump"
    name = libpq.rsplit("/", 1)[1] + "_restored"
    restored = libpq.rsplit("/", 1)[0] + "/" + name
    for command in (
        ["pg_dump", "--format=custom", "--file", str(dump), libpq],
        ["createdb", "--maintenance-db", libpq, name],
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
    ):
        subprocess.run([str(server.bin / command[0]), *command[1:]], check=True)
    return restored.replace("postgresql://", "postgresql+asyncpg://")


async def test_a_backup_restores_into_a_store_the_demo_serves(
    request, database_url, sessionmaker, start_bot, connector, tmp_path
):
    assert await seed_demo(CaseService(sessionmaker), date(2026, 11, 22), SYSTEM)
    running = await start_bot()
    before = await say(running, connector, "hur många är inskrivna?")

    # Taken while the bot runs on the store.
    if database_url.startswith("sqlite"):
        restored_url = sqlite_backup_and_restore(database_url, tmp_path)
    else:
        server = request.getfixturevalue("postgres_server")
        restored_url = postgresql_backup_and_restore(database_url, server, tmp_path)

    restored = await start_bot(url=restored_url)
    assert (await restored.get("/healthz")).status == 200
    after = await say(restored, connector, "hur många är inskrivna?")
    assert after == before
    enrolled = ENROLLED.search(after[0])
    assert enrolled is not None and int(enrolled.group(1)) > 0, after


@pytest.fixture
def wal_store(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)")
        connection.executemany("INSERT INTO item (name) VALUES (?)", [("a",), ("b",)])
    connection.close()
    return path


def test_backup_is_a_snapshot_of_committed_data_and_does_not_wait(
    wal_store: Path, tmp_path: Path
) -> None:
    writer = sqlite3.connect(wal_store, timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO item (name) VALUES ('uncommitted')")
    target = tmp_path / "copy.db"

    size = backup(f"sqlite+aiosqlite:///{wal_store}", target)

    writer.commit()
    writer.close()
    assert size == target.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "store.db"]
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert [row[0] for row in copy.execute("SELECT name FROM item ORDER BY id")] == ["a", "b"]
    copy.close()


def test_backup_never_overwrites_a_file(wal_store: Path, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_bytes(b"earlier backup")
    with pytest.raises(BackupError, match="finns redan"):
        backup(f"sqlite+aiosqlite:///{wal_store}", target)
    assert target.read_bytes() == b"earlier backup"


def test_backup_of_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with pytest.raises(BackupError, match="finns inte"):
        backup(f"sqlite+aiosqlite:///{missing}", tmp_path / "copy.db")
    assert list(tmp_path.iterdir()) == []


def test_backup_into_a_missing_folder_is_refused(wal_store: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match=r"Mappen .* finns inte"):
        backup(f"sqlite+aiosqlite:///{wal_store}", tmp_path / "nowhere" / "copy.db")
