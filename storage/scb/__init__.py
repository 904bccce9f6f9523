"""SCB reporting periods (and later their code lists), kept as data per half-year."""

from storage.scb.periods import (
    PeriodFileError,
    ReportingPeriod,
    load_periods,
    period_for,
)

__all__ = ["PeriodFileError", "ReportingPeriod", "load_periods", "period_for"]
