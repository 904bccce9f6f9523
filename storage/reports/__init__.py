"""Reports on the case store: key figures, the SCB file, audit readiness and their exports."""
