"""`kaa-bot` on a moved clock, for tests run with `--today`: a child process has its own clock.

    python tests/kaa_bot_at.py 2027-01-05T11:00:00+00:00 demo

starts the clock at that moment, ticking, then runs `kaa-bot demo` in this process.
"""

from __future__ import annotations

import sys
from datetime import datetime

import time_machine

from bot.cli import main

if __name__ == "__main__":
    with time_machine.travel(datetime.fromisoformat(sys.argv[1]), tick=True):
        main(sys.argv[2:], prog_name="kaa-bot")
