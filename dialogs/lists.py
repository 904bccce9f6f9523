"""How long a list in a chat answer gets, and the line that says how many more there are."""

from __future__ import annotations

LIST_LIMIT = 25


def more_text(shown: int, total: int) -> str:
    return f"\n\n…och {total - shown} till." if total > shown else ""
