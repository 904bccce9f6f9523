"""`kaa-bot` as a real process on the test's database (the `kaa_bot` fixture)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from tests.environment import clean_environ

KaaBot = Callable[..., Awaitable[tuple[int, str, str]]]


@pytest.fixture
def kaa_bot(kaa_bot_command, database_url, tmp_path) -> KaaBot:
    """`kaa-bot ARGS` in a child process with only the settings it needs: exit code,
    standard output and standard error."""

    async def run(*args: str) -> tuple[int, str, str]:
        process = await asyncio.create_subprocess_exec(
            *kaa_bot_command(*args),
            env=clean_environ(
                KAA_DATABASE_URL=database_url, MicrosoftAppId="", MicrosoftAppPassword=""
            ),
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), timeout=120)
        return process.returncode or 0, out.decode(), err.decode()

    return run
