"""Killing the bot process mid-dialog and starting it again continues the dialog."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path

import aiohttp

from storage.demo import fictitious_personnummer
from tests.environment import clean_environ
from tests.integration.teams import FakeConnector, activity


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(
    kaa_bot_command: Callable[..., list[str]], database_url: str, port: int, log: Path
) -> subprocess.Popen[bytes]:
    env = clean_environ(KAA_DATABASE_URL=database_url, PORT=str(port))
    process = subprocess.Popen(
        kaa_bot_command("demo"),
        env=env,
        cwd=log.parent,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as reply:
                if reply.status == 200:
                    return process
        except OSError:
            pass
        assert process.poll() is None, log.read_text()
        time.sleep(0.1)
    process.kill()
    raise AssertionError(f"kaa-bot demo did not answer /healthz:\n{log.read_text()}")


async def test_kill_mid_dialog_and_continue(kaa_bot_command, database_url, engine, tmp_path):
    connector = FakeConnector()
    await connector.server.start_server()
    port = _free_port()
    log = tmp_path / "bot.log"

    async def say(text: str) -> list[str]:
        before = len(connector.sent)
        async with aiohttp.ClientSession() as http:
            body = activity(connector.url, text=text)
            async with http.post(f"http://127.0.0.1:{port}/api/messages", json=body) as response:
                assert response.status == 200
        return connector.texts()[before:]

    process = await asyncio.to_thread(_start, kaa_bot_command, database_url, port, log)
    try:
        await say("registrera")
        await say(fictitious_personnummer(date(date.today().year - 19, 3, 3), 7, "kvinna"))
        asked = await say("Saga")
        assert "efternamnet" in asked[0]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

        process = await asyncio.to_thread(_start, kaa_bot_command, database_url, port, log)
        replies = await say("Berg")
        assert "datum" in replies[0], replies
    finally:
        process.kill()
        process.wait(timeout=10)
        await connector.server.close()
