"""The migrations build exactly the tables the models describe, and go down and up again."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from storage.db import migrate, upgrade
from storage.models import Base


def _differences(connection: Connection) -> list[Any]:
    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


async def test_the_newest_schema_is_the_models(engine):
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_query_speed_migration_goes_down_and_up_keeping_the_log_append_only(engine):
    await migrate(engine, command.downgrade, "0004")
    await upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
        await connection.execute(
            text("INSERT INTO audit_log (at, actor, action) VALUES (CURRENT_TIMESTAMP, 'a', 'b')")
        )
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(text("DELETE FROM audit_log"))


async def test_letters_migration_goes_down_and_up(engine):
    await migrate(engine, command.downgrade, "0006")
    await upgrade(engine)
    async with engine.connect() as connection:
        assert await connection.run_sync(_differences) == []
