"""`kaa-bot` in the test's process, on the test's database (migrated by `engine`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from bot.cli import main


@pytest.fixture
def run(database_url, engine, monkeypatch) -> Callable[..., Result]:
    """`run("import", path, "--municipality", "0580")` is `kaa-bot import …`."""
    monkeypatch.setenv("KAA_DATABASE_URL", database_url)
    return lambda *args: CliRunner().invoke(main, list(args))
