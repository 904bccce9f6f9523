"""What the daily job's reading leaves behind: dates parsed once, the collector resumed."""

from __future__ import annotations

import gc
from datetime import date

from scheduler.planning import collector_paused
from storage.json_rows import Days


def test_days_parse_each_text_once_and_keep_none():
    days = Days()
    first = days["2026-10-14"]
    assert first == date(2026, 10, 14)
    assert days["2026-10-14"] is first
    assert days[None] is None
    assert len(days) == 2


def test_the_collector_is_paused_while_planning_and_resumes_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        made = [[n] for n in range(1000)]
    assert gc.isenabled()
    # Aged straight into the oldest generation, so no young collection rescans them.
    assert any(kept is made for kept in gc.get_objects(generation=2))
