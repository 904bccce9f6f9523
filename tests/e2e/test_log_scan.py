"""After the whole Playground run: no personnummer, name or note text in the bot's log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e import test_capture

pytestmark = [pytest.mark.e2e, pytest.mark.after_e2e]

NOTE = "Bokade ett möte på tisdag"


def _people(database: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT personnummer, first_name, last_name FROM youth"
        ).fetchall()


def test_bot_log_holds_no_personal_data(
    playground: object, bot_server: object, e2e_artifacts_dir: Path
) -> None:
    log = (e2e_artifacts_dir / "bot.log").read_text(errors="replace")
    people = _people(e2e_artifacts_dir / "e2e.db")
    assert len(people) >= 30, "the demo youths and the youth registered in the Playground"
    assert (test_capture.PERSONNUMMER, test_capture.FIRST_NAME, test_capture.LAST_NAME) in people
    secrets = {NOTE, "20080315-1234", "Elin Andersson"}
    for personnummer, first, last in people:
        secrets |= {personnummer, personnummer[2:], f"{personnummer[2:8]}-{personnummer[8:]}"}
        secrets.add(f"{first} {last}")
    leaked = sorted(secret for secret in secrets if secret in log)
    assert not leaked, f"{len(leaked)} personal data strings in bot.log"
