"""How many cases lack data SCB's half-year file needs, for the scb_deadline reminder.

"Incomplete" is exactly what the SCB export's pre-export check would list
(storage.reports.scb), by the period's own code list, so the reminder and the export
always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.reports.scb import incomplete_counts
from storage.scb.calendar import ScbCalendar
from storage.scb.codelists import CodeListError
from storage.scb.periods import ReportingPeriod

# Per municipality and period code: the cases SCB's checks would refuse, or None when no
# installed code list covers the period (the reminder says so).
Incomplete = dict[int, dict[str, int | None]]


async def incomplete_scb_counts(
    sessionmaker: async_sessionmaker[AsyncSession],
    periods: Sequence[ReportingPeriod],
    municipalities: Mapping[str, list[int]],
) -> Incomplete:
    """For each period code, the counts of the municipalities given for it."""
    result: Incomplete = {}
    for period in periods:
        ids = municipalities.get(period.code)
        if not ids:
            continue
        try:
            lists = await ScbCalendar(sessionmaker).code_lists(period.code)
        except CodeListError:
            for municipality_id in ids:
                result.setdefault(municipality_id, {})[period.code] = None
            continue
        async with sessionmaker() as session:
            counts = await incomplete_counts(session, period, lists, ids)
        for municipality_id in ids:
            result.setdefault(municipality_id, {})[period.code] = counts.get(municipality_id, 0)
    return result
