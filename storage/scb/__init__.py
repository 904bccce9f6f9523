"""SCB reporting: every half-year a period, its deadline and code list (data, not code)."""
