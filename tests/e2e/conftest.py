"""Fixtures: the bot, the Agents Playground and one headless Chromium tab driving it.

Started once for the whole e2e package. Package scope, not session: sync Playwright keeps its
own event loop marked as running in this thread until it stops, which would break the async
tests that pytest runs after tests/e2e/.

Logs and failure artifacts go to test-artifacts/e2e/. Set KAA_E2E_BOT_CMD to run another bot
command (e.g. a probe bot) instead of `kaa-bot demo`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.playground import PERSONAL_CHAT, PlaygroundPage
from tests.e2e.processes import ManagedProcess, free_port, http_ok, start_process
from tests.environment import clean_environ

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts" / "e2e"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
PLAYGROUND_BIN = REPO_ROOT / "node_modules" / ".bin" / "agentsplayground"
KAA_BOT_BIN = REPO_ROOT / ".venv" / "bin" / "kaa-bot"
STARTUP_TIMEOUT = 60.0


@dataclass
class _Artifacts:
    """What the failure hook saves; filled in by the session fixtures as they come up."""

    page: Page | None = None
    logs: list[Path] = field(default_factory=list)


_ARTIFACTS = pytest.StashKey[_Artifacts]()


def _artifacts(config: pytest.Config) -> _Artifacts:
    return config.stash.setdefault(_ARTIFACTS, _Artifacts())


@dataclass(frozen=True)
class RunningBot:
    url: str
    messages_url: str
    process: ManagedProcess


@dataclass(frozen=True)
class RunningPlayground:
    url: str
    process: ManagedProcess


@pytest.fixture(scope="package")
def e2e_artifacts_dir() -> Path:
    """Emptied per session, so every file in it belongs to this run."""
    shutil.rmtree(ARTIFACTS_DIR, ignore_errors=True)
    ARTIFACTS_DIR.mkdir(parents=True)
    return ARTIFACTS_DIR


@pytest.fixture(scope="package")
def bot_command(kaa_bot_command: Callable[..., list[str]]) -> list[str]:
    """The one place naming the bot under test."""
    override = os.environ.get("KAA_E2E_BOT_CMD")
    if override:
        return shlex.split(override)
    if not KAA_BOT_BIN.exists():
        pytest.fail(f"{KAA_BOT_BIN} is missing: run the install step (`make test`) first.")
    return kaa_bot_command("demo")


@pytest.fixture(scope="package")
def bot_server(
    request: pytest.FixtureRequest, bot_command: list[str], e2e_artifacts_dir: Path
) -> Iterator[RunningBot]:
    port = free_port()
    workdir = e2e_artifacts_dir / "bot-cwd"
    workdir.mkdir(exist_ok=True)
    database = e2e_artifacts_dir / "e2e.db"
    for stale in (database, database.with_name("e2e.db-journal"), database.with_name("e2e.db-wal")):
        stale.unlink(missing_ok=True)
    env = {
        # The Playground sends unauthenticated requests; a developer's shell must not change that.
        **clean_environ(PORT=str(port), KAA_DATABASE_URL=f"sqlite+aiosqlite:///{database}"),
        "PYTHONUNBUFFERED": "1",
    }
    log = e2e_artifacts_dir / "bot.log"
    _artifacts(request.config).logs.append(log)
    # cwd outside the repo so a developer's .env is not read.
    process = start_process("bot", bot_command, log, env, workdir)
    base = f"http://127.0.0.1:{port}"
    try:
        process.wait_until(
            lambda: http_ok(f"{base}/healthz"), "answering GET /healthz with 200", STARTUP_TIMEOUT
        )
        yield RunningBot(url=base, messages_url=f"{base}/api/messages", process=process)
    finally:
        process.stop()


@pytest.fixture(scope="package")
def playground_server(
    request: pytest.FixtureRequest, bot_server: RunningBot, e2e_artifacts_dir: Path
) -> Iterator[RunningPlayground]:
    if not PLAYGROUND_BIN.exists():
        pytest.fail(f"{PLAYGROUND_BIN} is missing: run `npm ci` in {REPO_ROOT} (or `make test`).")
    workdir = e2e_artifacts_dir / "playground-cwd"
    workdir.mkdir(exist_ok=True)
    log = e2e_artifacts_dir / "playground.log"
    internal_log = workdir / "devTools" / "m365agentsplayground.log"
    internal_log.unlink(missing_ok=True)
    _artifacts(request.config).logs.extend([log, internal_log])
    command = [
        str(PLAYGROUND_BIN),
        "-e",
        bot_server.messages_url,
        "-c",
        "msteams",
        "--dt",
        "-p",
        str(free_port()),
    ]
    env = {**os.environ, "TEAMSAPPTESTER_BROWSER": "none"}
    # cwd outside the repo: the Playground writes devTools/ there and reads a config yml from it.
    process = start_process("Agents Playground", command, log, env, workdir)
    try:
        port: list[str] = []

        def listening() -> bool:
            # It falls back to a random port when the requested one is taken; trust its log.
            found = re.search(r"Listening on (\d+)", process.log_text())
            if found:
                port[:] = [found.group(1)]
            return bool(port) and http_ok(f"http://127.0.0.1:{port[0]}/")

        process.wait_until(listening, "serving its UI", STARTUP_TIMEOUT)
        yield RunningPlayground(url=f"http://127.0.0.1:{port[0]}/", process=process)
    finally:
        process.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian's chromium package).")
    # Playwright's launch() always uses a fresh temporary profile.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="package")
def playground_page(
    request: pytest.FixtureRequest, browser: Browser, playground_server: RunningPlayground
) -> Iterator[PlaygroundPage]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="sv-SE")
    page = context.new_page()
    _artifacts(request.config).page = page
    helper = PlaygroundPage(page, playground_server.url)
    try:
        helper.open(STARTUP_TIMEOUT)
        yield helper
    finally:
        _artifacts(request.config).page = None
        context.close()


@pytest.fixture
def playground(
    playground_page: PlaygroundPage, e2e_artifacts_dir: Path
) -> Iterator[PlaygroundPage]:
    """The session's tab, back in the personal chat with no dialog running and everything on
    screen marked as seen, so each test starts where a coordinator would.

    Afterwards the bot's log must hold no failed turn, from this test or any before it
    (the Playground's first page load sends installationUpdate and conversationUpdate at once).
    """
    playground_page.page.keyboard.press("Escape")
    playground_page.open_conversation(PERSONAL_CHAT)
    playground_page.send("avbryt")
    playground_page.wait_for_bot_message()
    playground_page.mark()
    yield playground_page
    log = (e2e_artifacts_dir / "bot.log").read_text(errors="replace")
    failures = [line for line in log.splitlines() if "Turn failed" in line or "Traceback" in line]
    assert not failures, f"The bot failed a turn: {failures}"


def _safe_name(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name).strip("_")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    if report.failed and item.get_closest_marker("e2e") is not None:
        target = ARTIFACTS_DIR / _safe_name(item.name)
        target.mkdir(parents=True, exist_ok=True)
        state = _artifacts(item.config)
        if state.page is not None and not state.page.is_closed():
            try:
                state.page.screenshot(path=str(target / "screenshot.png"), full_page=True)
                (target / "page.html").write_text(state.page.content(), encoding="utf-8")
            except Exception as error:  # a broken page must not hide the original failure
                (target / "screenshot-error.txt").write_text(str(error), encoding="utf-8")
        for log in state.logs:
            if log.exists():
                shutil.copy(log, target / log.name)
        report.sections.append(("e2e artifacts", str(target)))
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `after_e2e` look back on the whole Playground run, so they go right after
    the last e2e test — still inside the package, while its bot and database are up."""
    last = [item for item in items if item.get_closest_marker("after_e2e")]
    if not last:
        return
    others = [item for item in items if item not in last]
    e2e = [index for index, item in enumerate(others) if item.get_closest_marker("e2e")]
    position = e2e[-1] + 1 if e2e else len(others)
    items[:] = others[:position] + last + others[position:]
