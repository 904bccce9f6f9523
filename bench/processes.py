"""The two bots of `bench.turns` as child processes, with what the benchmark reads of them.

Each child gets an environment built here and nothing else, and runs in the benchmark's
temporary directory: a developer's KAA_* variables or a `.env` in the working directory
would otherwise change what is measured (a PostgreSQL store, reminders, a tenant list).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(Exception):
    """The benchmark cannot measure what it set out to: it stops and says why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def child_environment(**variables: str) -> dict[str, str]:
    """Only what a Python child needs, with this checkout first on its import path."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        **variables,
    }


@dataclass
class Child:
    name: str
    process: asyncio.subprocess.Process
    port: int
    log: Path
    database: Path | None = None

    @property
    def messages_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def rss_mb(self) -> float:
        """Resident memory now (VmRSS), in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise BenchError(f"{self.name}: VmRSS not found")

    def cpu_seconds(self) -> float:
        """User plus system CPU time used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def start_child(
    name: str,
    arguments: list[str],
    workdir: Path,
    environment: dict[str, str],
    port: int,
    database: Path | None = None,
) -> Child:
    """Start `python arguments...` and wait until it accepts connections on `port`."""
    log = workdir / f"{name}.log"
    with log.open("wb") as output:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *arguments,
            cwd=workdir,
            env=environment,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=output,
            stderr=asyncio.subprocess.STDOUT,
        )
    child = Child(name, process, port, log, database)
    deadline = asyncio.get_running_loop().time() + START_TIMEOUT
    while asyncio.get_running_loop().time() < deadline:
        if process.returncode is not None:
            break
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return child
    await child.stop()
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
    raise BenchError(f"{name} did not start (exit code {process.returncode}):\n{tail}")


async def start_echo(workdir: Path) -> Child:
    port = free_port()
    return await start_child(
        "echo", ["-m", "bench.echo_bot", "--port", str(port)], workdir, child_environment(), port
    )


async def start_bot(workdir: Path, name: str) -> Child:
    """`kaa-bot demo` on a fresh SQLite store: migrated, demo municipality seeded, anonymous."""
    database = workdir / f"{name}.db"
    port = free_port()
    environment = child_environment(
        KAA_DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        KAA_HOST="127.0.0.1",
        PORT=str(port),
        KAA_REMINDERS="0",
    )
    arguments = ["-c", "from bot.cli import main; main()", "demo"]
    return await start_child(name, arguments, workdir, environment, port, database)


async def start_together(*starts: Awaitable[Child]) -> list[Child]:
    """Start children side by side; when one does not start, stop the ones that did."""
    results = await asyncio.gather(*starts, return_exceptions=True)
    started = [result for result in results if isinstance(result, Child)]
    for result in results:
        if isinstance(result, BaseException):
            for child in started:
                await child.stop()
            raise result
    return started
