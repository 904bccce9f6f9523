"""The test session's clock: `pytest --today 2027-01-05` runs the whole suite on that day.

time-machine moves `datetime.now`, `date.today` and `time.time` of this process (not the
monotonic clock, so timeouts and asyncio keep real time) and lets the clock tick on from the
chosen moment. A child process has its own clock: `kaa_bot_command` starts `kaa-bot` through
tests/kaa_bot_at.py, which moves the child's clock to this process's "now" first.
`born` gives a birth date for an age that holds on any date of the year.
"""

from __future__ import annotations

import os
import sys
import time as time_module
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

ZONE = ZoneInfo("Europe/Stockholm")
KAA_BOT = Path(sys.executable).parent / "kaa-bot"
_LAUNCHER = Path(__file__).with_name("kaa_bot_at.py")
_TRAVEL = pytest.StashKey[time_machine.travel]()


def moment(value: str) -> datetime:
    """`2027-01-05` is noon that day in Stockholm (the same date in UTC and in the bot's zone);
    `2027-01-05T00:30` is that local time, for the hours around midnight."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as error:
            message = f"--today: 2027-01-05 or 2027-01-05T00:30, not {value}"
            raise pytest.UsageError(message) from error
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZONE)
    return datetime.combine(day, time(12), ZONE)


def start(config: pytest.Config) -> None:
    # The bot's days are Stockholm's; so are the tests' `date.today()`, on a machine in UTC too.
    os.environ["TZ"] = ZONE.key
    time_module.tzset()
    value: str | None = config.getoption("today")
    if value is None:
        return
    travel = time_machine.travel(moment(value), tick=True)
    travel.start()
    config.stash[_TRAVEL] = travel


def stop(config: pytest.Config) -> None:
    travel = config.stash.get(_TRAVEL, None)
    if travel is not None:
        travel.stop()


def moved(config: pytest.Config) -> bool:
    return _TRAVEL in config.stash


def born(age: int, today: date | None = None) -> date:
    """A birth date making a youth `age` years old on `today` (default: the session's today),
    half a year from either birthday, so no date of the year turns them a year older or younger."""
    today = today or date.today()
    return today - timedelta(days=round(365.25 * age) + 182)


def kaa_bot_command(config: pytest.Config, *args: str) -> list[str]:
    """`kaa-bot ARGS`, on this session's clock when `--today` moved it."""
    if not moved(config):
        return [str(KAA_BOT), *args]
    return [sys.executable, str(_LAUNCHER), datetime.now(UTC).isoformat(), *args]
