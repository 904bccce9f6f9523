"""A consistent copy of the SQLite store, taken while the bot runs (SQLite's online backup)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class BackupError(Exception):
    """One Swedish line: why no backup was written."""


def backup(database_url: str, target: Path) -> int:
    """Copy the store of a SQLite URL to target, a new file; returns its size in bytes.

    The copy is one snapshot of committed data: the bot may write meanwhile (its write-ahead
    log lets a reader and the writer go on side by side), an open transaction is left out.
    The copy is a single file in rollback-journal mode, ready to be put in the store's place.
    """
    source = _sqlite_file(database_url)
    if not source.is_file():
        raise BackupError(f"Databasfilen {source} finns inte.")
    if target.exists():
        raise BackupError(f"{target} finns redan: välj ett nytt filnamn.")
    if not target.parent.is_dir():
        raise BackupError(f"Mappen {target.parent} finns inte.")
    try:
        fd, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise BackupError(f"Kan inte skriva i {target.parent}: {error.strerror}") from error
    os.close(fd)
    try:
        # Read-only, so taking a backup never changes the store it reads.
        with (
            closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as store,
            closing(sqlite3.connect(partial)) as copy,
        ):
            store.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError("Kopian klarade inte SQLite:s kontroll; försök igen.")
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupError(f"Kunde inte läsa databasen {source}: {error}") from error
    finally:
        Path(partial).unlink(missing_ok=True)
    return target.stat().st_size


def _sqlite_file(database_url: str) -> Path:
    try:
        url = make_url(database_url)
    except ArgumentError as error:
        raise BackupError("KAA_DATABASE_URL är ingen giltig databasadress.") from error
    if url.get_backend_name() == "postgresql":
        raise BackupError(
            "PostgreSQL säkerhetskopieras med pg_dump, till exempel "
            "`pg_dump --format=custom --file kaa.dump DATABAS`; se README (Drift)."
        )
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise BackupError("Bara en SQLite-fil kan säkerhetskopieras med det här kommandot.")
    return Path(url.database)
