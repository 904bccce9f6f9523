"""How many cases lack data SCB's half-year file needs, for the scb_deadline reminder.

"Incomplete" is exactly what the SCB export's pre-export check would list
(storage.reports.scb), for the half-year to report on ``today``, so the reminder
and the export always agree.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from storage.reports.scb import incomplete_counts, reporting_period
from storage.scb.periods import load_periods


async def incomplete_scb_counts(
    session: AsyncSession, municipality_ids: Collection[int] | None, today: date
) -> dict[int, int]:
    """Per municipality, the number of cases SCB's checks would refuse in the current period."""
    period = reporting_period(today, load_periods())
    ids = None if municipality_ids is None else list(municipality_ids)
    return await incomplete_counts(session, period, ids)
